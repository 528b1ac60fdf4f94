// chatq against a shared Redis queue, end to end: a real redis-server, `chatq worker`
// processes serving it, and the fake provider on loopback. These hold the console contract
// of the Redis commands (docs/chatq-json.md) and the worker's promise never to drop a job.

#include <QCoroTimer>
#include <gtest/gtest.h>

#include <QJsonDocument>
#include <QJsonObject>

#include "tests/integration/chatqprocess.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/redisserver.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

class ChatqRedis : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_redis.start()) << m_redis.errorString().toStdString();
        m_queueUrl = m_redis.url();
    }

    void TearDown() override
    {
        for (const auto &worker : m_workers) {
            chatqprocess::terminate(*worker);
        }
    }

    QProcess &startWorker(const QStringList &extra = {})
    {
        QStringList arguments{u"worker"_s,
                              u"--queue"_s,
                              m_queueUrl,
                              u"--base-url"_s,
                              m_provider.baseUrl().toString(),
                              u"--concurrency"_s,
                              u"4"_s};
        arguments += extra;
        m_workers.push_back(chatqprocess::start(arguments));
        return *m_workers.back();
    }

    chatqprocess::RunResult chatq(QStringList arguments)
    {
        arguments.insert(1, u"--queue"_s);
        arguments.insert(2, m_queueUrl);
        return chatqprocess::run(arguments);
    }

    QString submit(const QString &prompt)
    {
        const auto result = chatq({u"submit"_s, u"--model"_s, u"test-model"_s, prompt});
        EXPECT_EQ(result.exitCode, 0) << result.err.toStdString();
        return result.out.trimmed();
    }

    QJsonObject status(const QString &jobId)
    {
        const auto result = chatq({u"status"_s, jobId});
        EXPECT_EQ(result.exitCode, 0) << result.err.toStdString();
        return QJsonDocument::fromJson(result.out.toUtf8()).object();
    }

    bool waitForStatus(const QString &jobId, const QString &wanted)
    {
        return chatqprocess::waitUntil(
                [&] { return status(jobId)[u"status"_s].toString() == wanted; },
                20s);
    }

    RedisServer m_redis;
    FakeProvider m_provider;
    QString m_queueUrl;
    std::vector<std::unique_ptr<QProcess>> m_workers;
};

} // namespace

TEST_F(ChatqRedis, SubmitWatchAndStatusThroughAWorker)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"来自队列的回答。"_s));
    startWorker();

    const QString jobId = submit(u"今天有哪些新闻"_s);
    const auto watched = chatq({u"watch"_s, jobId});
    const QJsonObject record = status(jobId);

    EXPECT_FALSE(jobId.isEmpty());
    EXPECT_EQ(watched.exitCode, 0) << watched.err.toStdString();
    EXPECT_EQ(watched.out, u"来自队列的回答。\n"_s);
    EXPECT_EQ(record[u"status"_s].toString(), u"succeeded"_s);
    EXPECT_EQ(record[u"content"_s].toString(), u"来自队列的回答。"_s);
    EXPECT_EQ(record[u"attempts"_s].toInt(), 1);
    EXPECT_FALSE(record[u"worker"_s].toString().isEmpty());
    EXPECT_TRUE(record[u"timings"_s].toObject()[u"total_ms"_s].isDouble());
}

TEST_F(ChatqRedis, AskStreamsThroughTheSharedQueue)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"shared answer"_s));
    startWorker();

    const auto result = chatq({u"ask"_s, u"--model"_s, u"test-model"_s, u"--json"_s, u"hi"_s});

    ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    const QJsonObject object = QJsonDocument::fromJson(result.out.toUtf8()).object();
    EXPECT_EQ(object[u"status"_s].toString(), u"succeeded"_s);
    EXPECT_EQ(object[u"content"_s].toString(), u"shared answer"_s);
}

TEST_F(ChatqRedis, WatchFromTheStartAfterTheJobEnded)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"kept in the log"_s));
    startWorker();
    const QString jobId = submit(u"hi"_s);
    ASSERT_TRUE(waitForStatus(jobId, u"succeeded"_s));

    const auto watched = chatq({u"watch"_s, jobId, u"--json"_s});

    EXPECT_EQ(watched.exitCode, 0) << watched.err.toStdString();
    const QJsonObject object = QJsonDocument::fromJson(watched.out.toUtf8()).object();
    EXPECT_EQ(object[u"content"_s].toString(), u"kept in the log"_s);
}

TEST_F(ChatqRedis, CancelEndsARunningJobAndKeepsItsPartialAnswer)
{
    m_provider.setDefaultScenario(
            FakeProvider::contentScenario(QString(2000, u'y'), 4).inChunks(64, 40ms));
    startWorker();
    const QString jobId = submit(u"long"_s);
    ASSERT_TRUE(waitForStatus(jobId, u"running"_s));
    QCoro::waitFor(QCoro::sleepFor(300ms));

    const auto cancelled = chatq({u"cancel"_s, jobId});

    EXPECT_EQ(cancelled.exitCode, 0) << cancelled.err.toStdString();
    ASSERT_TRUE(waitForStatus(jobId, u"cancelled"_s));
    const QJsonObject record = status(jobId);
    EXPECT_FALSE(record[u"content"_s].toString().isEmpty());
    EXPECT_LT(record[u"content"_s].toString().size(), 2000);
}

TEST_F(ChatqRedis, JobsListsSubmittedJobs)
{
    const QString first = submit(u"one"_s);
    const QString second = submit(u"two"_s);

    const auto listed = chatq({u"jobs"_s});

    EXPECT_EQ(listed.exitCode, 0) << listed.err.toStdString();
    EXPECT_TRUE(listed.out.contains(first)) << listed.out.toStdString();
    EXPECT_TRUE(listed.out.contains(second)) << listed.out.toStdString();
    EXPECT_LT(listed.out.indexOf(second), listed.out.indexOf(first)) << "newest first";
}

TEST_F(ChatqRedis, StoppedWorkerHandsItsJobBackAndAnotherFinishesIt)
{
    m_provider.setDefaultScenario(
            FakeProvider::contentScenario(QString(300, u'z'), 4).inChunks(32, 40ms));
    QProcess &first = startWorker({u"--grace"_s, u"0"_s});
    const QString jobId = submit(u"handed back"_s);
    ASSERT_TRUE(waitForStatus(jobId, u"running"_s));

    const int firstExit = chatqprocess::terminate(first);
    startWorker();

    EXPECT_EQ(firstExit, 0);
    ASSERT_TRUE(waitForStatus(jobId, u"succeeded"_s));
    const QJsonObject record = status(jobId);
    EXPECT_EQ(record[u"content"_s].toString(), QString(300, u'z'));
    EXPECT_GE(record[u"attempts"_s].toInt(), 2);
}

TEST_F(ChatqRedis, WrongPasswordIsAClearError)
{
    const QString badUrl = m_redis.urlWith(u"nobody"_s, u"wrong"_s);

    const auto result = chatqprocess::run({u"jobs"_s, u"--queue"_s, badUrl});

    EXPECT_EQ(result.exitCode, 1);
    EXPECT_FALSE(result.err.isEmpty());
    EXPECT_FALSE(result.err.contains(u"wrong"_s)) << "the password must not be echoed";
}

TEST_F(ChatqRedis, CommandsRefuseTheInProcessQueue)
{
    const auto result = chatqprocess::run(
            {u"submit"_s, u"--queue"_s, u"memory"_s, u"--model"_s, u"m"_s, u"hi"_s});

    EXPECT_EQ(result.exitCode, 2);
    EXPECT_TRUE(result.err.contains(u"shared queue"_s)) << result.err.toStdString();
}

TEST_F(ChatqRedis, WorkerWithAWrongPasswordStopsAtOnce)
{
    const QString badUrl = m_redis.urlWith(u"nobody"_s, u"wrong"_s);

    const auto result = chatqprocess::run(
            {u"worker"_s, u"--queue"_s, badUrl, u"--base-url"_s, m_provider.baseUrl().toString()});

    EXPECT_EQ(result.exitCode, 1);
    EXPECT_TRUE(result.err.contains(u"cannot reach the queue"_s)) << result.err.toStdString();
    EXPECT_FALSE(result.err.contains(u"wrong"_s)) << "the password must not be echoed";
}
