// Crash safety on Redis: two worker pools, one in this process and one in a child process
// that is SIGKILLed in the middle of its streams. Every job must still end succeeded exactly
// once with the whole answer, readers must see the restarted attempts' `reset`, and no
// entry may stay pending.

#include "core/redis/redisbackend.h"
#include "core/redis/redisconnection.h"
#include "core/settings/profileregistry.h"
#include "core/worker/workerpool.h"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include "tests/integration/awaittask.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/redisserver.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr int kJobs = 20;
constexpr int kWords = 12;

QByteArray sseChunk(const QString &content, const QString &finishReason = {})
{
    QJsonObject choice{{u"index"_s, 0}, {u"delta"_s, QJsonObject{{u"content"_s, content}}}};
    if (!finishReason.isEmpty()) {
        choice.insert(u"finish_reason"_s, finishReason);
    }
    const QJsonObject chunk{{u"choices"_s, QJsonArray{choice}}};
    return "data: " + QJsonDocument(chunk).toJson(QJsonDocument::Compact) + "\n\n";
}

QString expectedAnswer()
{
    QString text;
    for (int i = 0; i < kWords; ++i) {
        text += u"word%1 "_s.arg(i);
    }
    return text;
}

// About 1.2 s per stream: one word every 100 ms.
FakeProvider::Scenario slowStream()
{
    QByteArray body;
    for (int i = 0; i < kWords; ++i) {
        body += sseChunk(u"word%1 "_s.arg(i), i + 1 == kWords ? u"stop"_s : QString());
    }
    body += "data: [DONE]\n\n";
    return FakeProvider::Scenario::stream(body).inChunks(body.size() / kWords + 1, 100ms);
}

template <typename T>
T await(QCoro::Task<T> task)
{
    return awaitTask(std::move(task));
}

} // namespace

TEST(RedisCrash, JobsOfAKilledWorkerEndOnceWithTheWholeAnswer)
{
    RedisServer server;
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    const QString url = server.url() + u"?lease=1"_s;
    FakeProvider provider;
    provider.setDefaultScenario(slowStream());
    auto backend = openRedisBackend(url).value();
    auto client = backend->connect();
    RedisConnection raw(RedisUrl::parse(url).value());

    // The doomed worker starts first, so it holds some of the streams when it dies.
    QProcess doomed;
    doomed.start(QStringLiteral(CHATQUEUE_REDIS_WORKER),
                 {u"--queue"_s,
                  url,
                  u"--base-url"_s,
                  provider.baseUrl().toString(),
                  u"--name"_s,
                  u"doomed"_s});
    ASSERT_TRUE(doomed.waitForReadyRead(20'000)) << "the worker process did not start";
    QStringList ids;
    for (int i = 0; i < kJobs; ++i) {
        ChatRequest request;
        request.model = u"fake-model"_s;
        request.messages.append(ChatMessage{u"user"_s, u"job %1"_s.arg(i), QString()});
        ids.append(await(client->submit(request)).value());
    }
    for (int i = 0; i < 400 && provider.openStreams() < 4; ++i) {
        spinEventLoop(10ms);
    }
    auto profiles = std::make_shared<ProfileRegistry>();
    ProviderProfile profile;
    profile.baseUrl = provider.baseUrl();
    profiles->insert(profile);
    WorkerPoolOptions options;
    options.threads = 1;
    options.serveAnyProfile = false;
    options.workerName = u"survivor"_s;
    options.leaseRenewInterval = 300ms;
    WorkerPool survivor(backend, profiles, options);
    survivor.start();
    spinEventLoop(300ms);

    doomed.kill();
    doomed.waitForFinished(10'000);
    QList<JobRecord> records;
    const auto deadline = std::chrono::steady_clock::now() + 90s;
    while (std::chrono::steady_clock::now() < deadline) {
        records.clear();
        for (const QString &id : ids) {
            records.append(await(client->record(id)).value());
        }
        if (std::all_of(records.begin(), records.end(), [](const JobRecord &r) {
                return isFinalStatus(r.status);
            })) {
            break;
        }
        spinEventLoop(100ms);
    }
    awaitTask(survivor.stop(5s));

    int reclaimed = 0;
    for (const JobRecord &record : records) {
        SCOPED_TRACE(record.id.toStdString());
        EXPECT_EQ(record.status, JobStatus::Succeeded);
        EXPECT_EQ(record.content, expectedAnswer());

        QList<JobEvent> events;
        for (;;) {
            const QString after = events.isEmpty() ? QString() : events.last().id;
            const QList<JobEvent> more = await(client->readEvents(record.id, after, 0ms)).value();
            if (more.isEmpty()) {
                break;
            }
            events += more;
        }
        const auto count = [&events](JobEvent::Type type) {
            return std::count_if(events.begin(), events.end(), [type](const JobEvent &e) {
                return e.type == type;
            });
        };
        EXPECT_EQ(count(JobEvent::Type::Done), 1);
        EXPECT_EQ(count(JobEvent::Type::Reset), record.attempts - 1);
        if (record.attempts > 1) {
            ++reclaimed;
            EXPECT_EQ(record.worker, u"survivor/1"_s);
        }
    }
    EXPECT_GT(reclaimed, 0) << "the killed worker held no stream; the test proved nothing";
    const RedisReply pending =
            await(raw.command({"XPENDING", raw.url().prefix + "queue:default", "workers"})).value();
    EXPECT_EQ(pending.elements.value(0).integer, 0);
}

TEST(RedisCrash, StreamsContinueWhenRedisRestarts)
{
    RedisServerOptions persistent;
    persistent.appendOnly = true;
    RedisServer server(persistent);
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    FakeProvider provider;
    provider.setDefaultScenario(slowStream());
    auto backend = openRedisBackend(server.url() + u"?lease=10"_s).value();
    auto client = backend->connect();
    auto profiles = std::make_shared<ProfileRegistry>();
    ProviderProfile profile;
    profile.baseUrl = provider.baseUrl();
    profiles->insert(profile);
    WorkerPoolOptions options;
    options.threads = 1;
    options.serveAnyProfile = false;
    WorkerPool pool(backend, profiles, options);
    pool.start();
    QStringList ids;
    for (int i = 0; i < 6; ++i) {
        ChatRequest request;
        request.model = u"fake-model"_s;
        request.messages.append(ChatMessage{u"user"_s, u"job %1"_s.arg(i), QString()});
        ids.append(await(client->submit(request)).value());
    }
    for (int i = 0; i < 400 && provider.openStreams() < 3; ++i) {
        spinEventLoop(10ms);
    }

    // Restart mid-stream while a reader follows the first job's log.
    ASSERT_TRUE(server.restart()) << server.errorString().toStdString();
    QList<JobEvent> followed;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline
           && (followed.isEmpty() || followed.last().type != JobEvent::Type::Done)) {
        const QString after = followed.isEmpty() ? QString() : followed.last().id;
        const auto more = await(client->readEvents(ids.first(), after, 500ms));
        if (more) {
            followed += *more; // a failed read is retried: the reader reconnects by itself
        }
    }
    QList<JobRecord> records;
    while (std::chrono::steady_clock::now() < deadline) {
        records.clear();
        for (const QString &id : ids) {
            const auto record = await(client->record(id));
            if (record) {
                records.append(*record);
            }
        }
        if (records.size() == ids.size()
            && std::all_of(records.begin(), records.end(), [](const JobRecord &r) {
                   return isFinalStatus(r.status);
               })) {
            break;
        }
        spinEventLoop(100ms);
    }
    awaitTask(pool.stop(5s));

    ASSERT_EQ(records.size(), ids.size());
    for (const JobRecord &record : records) {
        SCOPED_TRACE(record.id.toStdString());
        EXPECT_EQ(record.status, JobStatus::Succeeded);
        EXPECT_EQ(record.content, expectedAnswer());
    }
    QString shown;
    for (const JobEvent &event : followed) {
        shown = event.type == JobEvent::Type::Reset ? QString() : shown + event.delta.content;
    }
    EXPECT_EQ(shown, expectedAnswer());
    ASSERT_FALSE(followed.isEmpty());
    EXPECT_EQ(followed.last().type, JobEvent::Type::Done);
}
