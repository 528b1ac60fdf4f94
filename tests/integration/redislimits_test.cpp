// Shared limits reach Redis: the Redis backend writes a profile's limits to `Plimits:<name>`
// (docs/wire-format.md), and `chatq worker --profiles FILE` publishes the file's limits
// when it starts, so that every worker's claims apply them.

#include "core/queue/jobqueue.h"
#include "core/redis/redisconnection.h"
#include "core/redis/redisurl.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>

#include "tests/integration/chatqprocess.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/redisserver.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

class RedisLimits : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_redis.start()) << m_redis.errorString().toStdString();
        m_connection = std::make_unique<RedisConnection>(RedisUrl::parse(m_redis.url()).value());
    }

    // The fields of Plimits:<profile> as "field=value" pairs, sorted.
    QStringList limits(const QString &profile)
    {
        const auto reply = waitForTask(
                m_connection->command({"HGETALL", "chatqueue:limits:" + profile.toUtf8()}), 5s);
        QStringList fields;
        if (!reply || !reply->ok()) {
            ADD_FAILURE() << "HGETALL failed";
            return fields;
        }
        const auto &elements = (*reply)->elements;
        for (qsizetype i = 0; i + 1 < elements.size(); i += 2) {
            fields.append(elements[i].toString() + u'=' + elements[i + 1].toString());
        }
        fields.sort();
        return fields;
    }

    QueueResult<void> setLimits(const QString &profile, int concurrent, int perMinute)
    {
        auto backend = openQueueBackend(m_redis.url(), QString());
        const std::unique_ptr<JobQueue> queue = backend.value()->connect();
        return waitForTask(queue->setProfileLimits(profile, concurrent, perMinute), 10s)
                .value_or(QueueError::make(QueueError::Kind::Unavailable, u"timed out"_s));
    }

    RedisServer m_redis;
    std::unique_ptr<RedisConnection> m_connection;
};

} // namespace

TEST_F(RedisLimits, BackendWritesBothLimits)
{
    const QueueResult<void> result = setLimits(u"deepseek"_s, 4, 60);

    ASSERT_TRUE(result) << result.error().message.toStdString();
    EXPECT_EQ(limits(u"deepseek"_s), (QStringList{u"concurrent=4"_s, u"per_minute=60"_s}));
}

TEST_F(RedisLimits, ZeroLeavesALimitSetElsewhere)
{
    (void)waitForTask(m_connection->command({"HSET", "chatqueue:limits:local", "per_minute",
                                             "30"}),
                      5s);

    const QueueResult<void> result = setLimits(u"local"_s, 2, 0);

    ASSERT_TRUE(result) << result.error().message.toStdString();
    EXPECT_EQ(limits(u"local"_s), (QStringList{u"concurrent=2"_s, u"per_minute=30"_s}));
}

TEST_F(RedisLimits, NoLimitsWriteNothing)
{
    const QueueResult<void> result = setLimits(u"open"_s, 0, 0);

    ASSERT_TRUE(result) << result.error().message.toStdString();
    EXPECT_TRUE(limits(u"open"_s).isEmpty());
}

TEST_F(RedisLimits, WorkerPublishesTheLimitsOfItsProfilesFile)
{
    FakeProvider provider;
    QTemporaryDir dir;
    QFile file(dir.filePath(u"profiles.json"_s));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    const QString base = provider.baseUrl().toString();
    file.write(uR"({"profiles": [
        {"name": "limited", "base_url": "%1", "max_concurrent": 3, "max_per_minute": 90},
        {"name": "free", "base_url": "%1"}]})"_s.arg(base)
                       .toUtf8());
    file.close();

    const auto worker = chatqprocess::start(
            {u"worker"_s, u"--queue"_s, m_redis.url(), u"--profiles"_s, file.fileName()});
    const bool published = chatqprocess::waitUntil([&] { return !limits(u"limited"_s).isEmpty(); },
                                                   20s);
    const QStringList free = limits(u"free"_s);
    const int exitCode = chatqprocess::terminate(*worker);

    EXPECT_TRUE(published);
    EXPECT_EQ(limits(u"limited"_s), (QStringList{u"concurrent=3"_s, u"per_minute=90"_s}));
    EXPECT_TRUE(free.isEmpty());
    EXPECT_EQ(exitCode, 0);
}
