// The Redis queue: the conformance suite every backend runs, then what only Redis does —
// leases and reclaims across workers, poison entries, restarts — against a private
// redis-server started for this test binary.

#include "core/redis/redisbackend.h"
#include "core/redis/redisconnection.h"
#include "core/settings/profileregistry.h"
#include "core/worker/workerpool.h"

#include <gtest/gtest.h>

#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>

#include "tests/integration/awaittask.h"
#include "tests/integration/queueconformance.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/redisserver.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// One server for the whole binary, stopped when the tests end; each backend gets a key
// prefix of its own, so every test starts on an empty queue.
class SharedRedis : public ::testing::Environment
{
public:
    static RedisServer &server()
    {
        static RedisServer *instance = nullptr;
        if (!instance) {
            instance = new RedisServer();
            ::testing::AddGlobalTestEnvironment(new SharedRedis(instance));
            EXPECT_TRUE(instance->start()) << instance->errorString().toStdString();
        }
        return *instance;
    }

    explicit SharedRedis(RedisServer *server)
        : m_server(server)
    {}

    void TearDown() override { m_server->stop(); }

private:
    RedisServer *m_server;
};

RedisServer &sharedServer()
{
    return SharedRedis::server();
}

QString freshUrl(const QString &options = {})
{
    static std::atomic<int> counter{0};
    return sharedServer().url() + u"?prefix=t%1:"_s.arg(++counter)
           + (options.isEmpty() ? QString() : u'&' + options);
}

std::shared_ptr<QueueBackend> openRedis(const QString &url)
{
    auto backend = openRedisBackend(url);
    EXPECT_TRUE(backend.ok()) << (backend ? std::string() : backend.error().message.toStdString());
    return backend ? *backend : nullptr;
}

} // namespace

INSTANTIATE_TEST_SUITE_P(Redis,
                         QueueConformance,
                         ::testing::Values(QueueBackendFactory{u"Redis"_s,
                                                               [] {
                                                                   return openRedis(freshUrl());
                                                               }}),
                         queueBackendFactoryName);

namespace {

template <typename T>
T await(QCoro::Task<T> task)
{
    std::optional<T> result = waitForTask(std::move(task), 60s);
    if (!result) {
        ADD_FAILURE() << "a queue call did not finish within a minute";
        std::abort();
    }
    return std::move(*result);
}

ChatRequest chatRequest(const QString &prompt)
{
    ChatRequest request;
    request.model = u"test-model"_s;
    request.messages.append(ChatMessage{u"user"_s, prompt, QString()});
    return request;
}

WorkerIdentity workerNamed(const QString &id)
{
    WorkerIdentity identity;
    identity.id = id;
    identity.profiles = {u"default"_s};
    return identity;
}

JobEvent textDelta(const QString &text)
{
    ChatDelta delta;
    delta.content = text;
    return JobEvent::makeDelta(0, delta);
}

JobRecord finalRecord(JobStatus status, const QString &content)
{
    JobRecord record;
    record.status = status;
    record.content = content;
    return record;
}

QList<JobEvent> allEvents(JobQueue &queue, const QString &jobId)
{
    QList<JobEvent> events;
    for (;;) {
        const QString after = events.isEmpty() ? QString() : events.last().id;
        QueueResult<QList<JobEvent>> more = await(queue.readEvents(jobId, after, 50ms));
        if (!more || more->isEmpty()) {
            return events;
        }
        events += *more;
    }
}

// What a reader shows: the text of the latest attempt.
QString shownText(const QList<JobEvent> &events)
{
    QString text;
    for (const JobEvent &event : events) {
        if (event.type == JobEvent::Type::Reset) {
            text.clear();
        } else if (event.type == JobEvent::Type::Delta) {
            text += event.delta.content;
        }
    }
    return text;
}

int countOf(const QList<JobEvent> &events, JobEvent::Type type)
{
    return int(std::count_if(events.begin(), events.end(), [type](const JobEvent &event) {
        return event.type == type;
    }));
}

RedisUrl parsedUrl(const QString &text)
{
    return RedisUrl::parse(text).value();
}

RedisReply rawCommand(RedisConnection &connection, QList<QByteArray> argv)
{
    RedisResult reply = await(connection.command(std::move(argv)));
    EXPECT_TRUE(reply.ok()) << (reply ? std::string() : reply.error().message.toStdString());
    return reply ? *reply : RedisReply{};
}

// Reasons of the dead-letter stream, oldest first.
QStringList deadReasons(RedisConnection &connection)
{
    const QByteArray dead = connection.url().prefix + "dead";
    QStringList reasons;
    const RedisReply range = rawCommand(connection, {"XRANGE", dead, "-", "+"});
    for (const RedisReply &entry : range.elements) {
        const QList<RedisReply> &fields = entry.elements.value(1).elements;
        for (qsizetype i = 0; i + 1 < fields.size(); i += 2) {
            if (fields[i].string == "reason") {
                reasons.append(fields[i + 1].toString());
            }
        }
    }
    return reasons;
}

} // namespace

TEST(RedisQueue, LeaseRenewedByItsWorkerIsNeverReclaimed)
{
    const QString url = freshUrl(u"lease=1"_s);
    auto backend = openRedis(url);
    auto owner = backend->connect();
    auto rival = backend->connect();
    const QString id = await(owner->submit(chatRequest(u"long"_s))).value();
    const ClaimedJob job = await(owner->claim(workerNamed(u"owner"_s), 5s)).value().value();

    // Stream for well over three leases while a rival keeps trying to claim.
    int rivalClaims = 0;
    int appendFailures = 0;
    const auto end = std::chrono::steady_clock::now() + 3500ms;
    while (std::chrono::steady_clock::now() < end) {
        if (!await(owner->appendEvents(job, {textDelta(u"."_s)})).ok()) {
            ++appendFailures;
        }
        const auto taken = await(rival->claim(workerNamed(u"rival"_s), 250ms));
        if (taken && taken->has_value()) {
            ++rivalClaims;
        }
    }
    const QueueResult<void> finished =
            await(owner->finish(job, finalRecord(JobStatus::Succeeded, u"done"_s)));

    EXPECT_EQ(rivalClaims, 0);
    EXPECT_EQ(appendFailures, 0);
    ASSERT_TRUE(finished.ok()) << finished.error().message.toStdString();
    const JobRecord record = await(owner->record(id)).value();
    EXPECT_EQ(record.attempts, 1);
    EXPECT_EQ(record.worker, u"owner"_s);
    EXPECT_EQ(countOf(allEvents(*owner, id), JobEvent::Type::Reset), 0);
}

TEST(RedisQueue, JobOfAStoppedWorkerIsReclaimedWithReset)
{
    auto backend = openRedis(freshUrl(u"lease=0.5"_s));
    auto dead = backend->connect();
    auto alive = backend->connect();
    const QString id = await(dead->submit(chatRequest(u"hello"_s))).value();
    const ClaimedJob first = await(dead->claim(workerNamed(u"dead"_s), 5s)).value().value();
    ASSERT_TRUE(await(dead->appendEvents(first, {textDelta(u"half an ans"_s)})).ok());

    const auto second = await(alive->claim(workerNamed(u"alive"_s), 10s));
    ASSERT_TRUE(second.ok());
    ASSERT_TRUE(second->has_value());
    const ClaimedJob job = **second;
    ASSERT_TRUE(await(alive->appendEvents(job, {textDelta(u"a whole answer"_s)})).ok());
    const QueueResult<bool> stale = await(dead->appendEvents(first, {textDelta(u"wer"_s)}));
    ASSERT_TRUE(
            await(alive->finish(job, finalRecord(JobStatus::Succeeded, u"a whole answer"_s))).ok());

    EXPECT_EQ(job.jobId, id);
    EXPECT_EQ(job.attempt, 2);
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.error().kind, QueueError::Kind::LeaseLost);
    const QList<JobEvent> events = allEvents(*alive, id);
    EXPECT_EQ(countOf(events, JobEvent::Type::Reset), 1);
    EXPECT_EQ(shownText(events), u"a whole answer"_s);
    const JobRecord record = await(alive->record(id)).value();
    EXPECT_EQ(record.status, JobStatus::Succeeded);
    EXPECT_EQ(record.attempts, 2);
}

TEST(RedisQueue, JobThatKeepsLosingItsWorkerEndsInTheDeadLetterStream)
{
    const QString url = freshUrl(u"lease=0.3&attempts=2"_s);
    auto backend = openRedis(url);
    auto queue = backend->connect();
    RedisConnection raw(parsedUrl(url));
    const QString id = await(queue->submit(chatRequest(u"cursed"_s))).value();
    ASSERT_TRUE(await(queue->claim(workerNamed(u"w1"_s), 5s)).value().has_value());
    ASSERT_TRUE(await(queue->claim(workerNamed(u"w2"_s), 5s)).value().has_value());

    const auto third = await(queue->claim(workerNamed(u"w3"_s), 2s));

    ASSERT_TRUE(third.ok());
    EXPECT_FALSE(third->has_value());
    const JobRecord record = await(queue->record(id)).value();
    EXPECT_EQ(record.status, JobStatus::Failed);
    ASSERT_TRUE(record.error.has_value());
    EXPECT_TRUE(record.error->message.contains(u"gave up after 2 attempts"_s));
    EXPECT_EQ(deadReasons(raw), QStringList{u"attempts"_s});
}

TEST(RedisQueue, FailedJobGoesToTheDeadLetterStreamWithItsError)
{
    const QString url = freshUrl();
    auto backend = openRedis(url);
    auto queue = backend->connect();
    RedisConnection raw(parsedUrl(url));
    await(queue->submit(chatRequest(u"hi"_s))).value();
    const ClaimedJob job = await(queue->claim(workerNamed(u"w"_s), 5s)).value().value();
    JobRecord failed = finalRecord(JobStatus::Failed, {});
    failed.error = ChatError::make(ErrorKind::Server, u"upstream kept failing"_s, 502);

    ASSERT_TRUE(await(queue->finish(job, failed)).ok());

    EXPECT_EQ(deadReasons(raw), QStringList{u"failed"_s});
    const RedisReply dead = rawCommand(raw, {"XRANGE", raw.url().prefix + "dead", "-", "+"});
    EXPECT_TRUE(dead.debugText().contains(u"upstream kept failing"_s));
}

TEST(RedisQueue, PoisonEntriesGoToTheDeadLetterStreamAndTheWorkerKeepsServing)
{
    const QString url = freshUrl();
    auto backend = openRedis(url);
    auto queue = backend->connect();
    RedisConnection raw(parsedUrl(url));
    const QByteArray stream = raw.url().prefix + "queue:default";
    rawCommand(raw, {"XADD", stream, "*", "job", "this is not json"});
    rawCommand(raw, {"XADD", stream, "*", "job", R"({"v":2,"id":"future"})"});
    rawCommand(raw, {"XADD", stream, "*", "job", R"({"v":1,"request":{}})"});
    rawCommand(raw, {"XADD", stream, "*", "job", R"({"v":1,"id":"x}y","request":{}})"});
    rawCommand(raw, {"XADD", stream, "*", "job", QByteArray(2 * 1024 * 1024, 'A')});
    rawCommand(raw, {"XADD", stream, "*", "something", "else"});
    rawCommand(raw,
               {"XADD", stream, "*", "job",
                R"({"v":1,"id":"0192a0c4-1d2e-7000-8000-000000000001","request":)"
                R"({"model":"m","messages":[{"role":42,"content":{"a":1}}],)"
                R"("temperature":"hot"}})"});
    const QString good = await(queue->submit(chatRequest(u"still served"_s))).value();

    const auto claimed = await(queue->claim(workerNamed(u"w"_s), 10s));

    ASSERT_TRUE(claimed.ok()) << claimed.error().message.toStdString();
    ASSERT_TRUE(claimed->has_value());
    EXPECT_EQ((*claimed)->jobId, good);
    const QStringList reasons = deadReasons(raw);
    ASSERT_EQ(reasons.size(), 7);
    EXPECT_TRUE(reasons[0].startsWith(u"not JSON"_s));
    EXPECT_TRUE(reasons[1].startsWith(u"unknown wire format version"_s));
    EXPECT_TRUE(reasons[2].startsWith(u"missing or invalid job id"_s));
    EXPECT_TRUE(reasons[3].startsWith(u"missing or invalid job id"_s));
    EXPECT_TRUE(reasons[4].contains(u"exceeds the limit of 1 MiB"_s));
    EXPECT_TRUE(reasons[5].contains(u"no `job` field"_s));
    EXPECT_TRUE(reasons[6].startsWith(u"invalid request: a message has no known role"_s))
            << reasons[6].toStdString();
    const RedisReply pending = rawCommand(raw, {"XPENDING", stream, "workers"});
    EXPECT_EQ(pending.elements.value(0).integer, 1); // only the good job, now running
}

TEST(RedisQueue, WorkersPublishHeartbeats)
{
    const QString url = freshUrl();
    auto backend = openRedis(url);
    auto queue = backend->connect();
    RedisConnection raw(parsedUrl(url));

    const auto claimed = await(queue->claim(workerNamed(u"beating"_s), 50ms));
    ASSERT_TRUE(claimed.ok());
    RedisReply beat;
    for (int i = 0; i < 100 && beat.string.isEmpty(); ++i) {
        spinEventLoop(20ms);
        beat = rawCommand(raw, {"HGET", raw.url().prefix + "workers", "beating"});
    }

    const QJsonObject state = QJsonDocument::fromJson(beat.string).object();
    EXPECT_EQ(state.value(u"id"_s).toString(), u"beating"_s);
    EXPECT_EQ(state.value(u"v"_s).toInt(), 1);
    EXPECT_GT(state.value(u"seen_at"_s).toInteger(), 0);
    EXPECT_EQ(rawCommand(raw, {"EXISTS", raw.url().prefix + "worker:beating"}).integer, 1);
    const QList<WorkerStatus> workers = await(queue->listWorkers()).value();
    ASSERT_EQ(workers.size(), 1);
    EXPECT_EQ(workers.first().id, u"beating"_s);
    EXPECT_EQ(workers.first().profiles, QStringList{u"default"_s});
    EXPECT_GT(workers.first().lastBeatAtMs, 0);
}

TEST(RedisQueue, WorkersWithoutRecentHeartbeatAreNotListed)
{
    const QString url = freshUrl();
    auto backend = openRedis(url);
    auto queue = backend->connect();
    RedisConnection raw(parsedUrl(url));
    rawCommand(raw, {"HSET", raw.url().prefix + "workers", "ghost", R"({"v":1,"id":"ghost"})"});

    const QList<WorkerStatus> workers = await(queue->listWorkers()).value();

    EXPECT_TRUE(workers.isEmpty());
    EXPECT_EQ(rawCommand(raw, {"HLEN", raw.url().prefix + "workers"}).integer, 0);
}

TEST(RedisQueue, NothingIsLostWhenRedisRestarts)
{
    RedisServerOptions options;
    options.appendOnly = true;
    RedisServer server(options);
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    auto backend = openRedis(server.url() + u"?lease=5"_s);
    auto client = backend->connect();
    auto worker = backend->connect();
    QStringList ids;
    for (int i = 0; i < 4; ++i) {
        ids.append(await(client->submit(chatRequest(u"job %1"_s.arg(i)))).value());
    }
    const ClaimedJob running = await(worker->claim(workerNamed(u"w"_s), 5s)).value().value();
    ASSERT_TRUE(await(worker->appendEvents(running, {textDelta(u"before "_s)})).ok());

    ASSERT_TRUE(server.restart()) << server.errorString().toStdString();
    const QueueResult<bool> resumed = await(worker->appendEvents(running, {textDelta(u"after"_s)}));
    ASSERT_TRUE(await(worker->finish(running, finalRecord(JobStatus::Succeeded, u"x"_s))).ok());
    for (int i = 1; i < 4; ++i) {
        const auto next = await(worker->claim(workerNamed(u"w"_s), 5s));
        ASSERT_TRUE(next.ok()) << next.error().message.toStdString();
        ASSERT_TRUE(next->has_value());
        ASSERT_TRUE(await(worker->finish(**next, finalRecord(JobStatus::Succeeded, u"y"_s))).ok());
    }

    ASSERT_TRUE(resumed.ok()) << resumed.error().message.toStdString();
    EXPECT_EQ(shownText(allEvents(*client, running.jobId)), u"before after"_s);
    for (const QString &id : ids) {
        const QueueResult<JobRecord> record = await(client->record(id));
        ASSERT_TRUE(record.ok()) << record.error().message.toStdString();
        EXPECT_EQ(record->status, JobStatus::Succeeded);
        EXPECT_EQ(record->attempts, 1);
    }
}

TEST(RedisQueue, ConcurrencyLimitHoldsAcrossWorkers)
{
    const QString url = freshUrl();
    auto backend = openRedis(url);
    auto client = backend->connect();
    RedisConnection raw(parsedUrl(url));
    rawCommand(raw, {"HSET", raw.url().prefix + "limits:default", "concurrent", "2"});
    FakeProvider provider;
    QByteArray body;
    for (int i = 0; i < 5; ++i) {
        body += "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n";
    }
    body += "data: [DONE]\n\n";
    provider.setDefaultScenario(FakeProvider::Scenario::stream(body).inChunks(40, 40ms));
    auto profiles = std::make_shared<ProfileRegistry>();
    ProviderProfile profile;
    profile.baseUrl = provider.baseUrl();
    profiles->insert(profile);
    WorkerPoolOptions options;
    options.threads = 4;
    options.serveAnyProfile = false;
    WorkerPool pool(backend, profiles, options);
    pool.start();
    QStringList ids;
    for (int i = 0; i < 8; ++i) {
        ids.append(await(client->submit(chatRequest(u"job %1"_s.arg(i)))).value());
    }

    int finished = 0;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (finished < ids.size() && std::chrono::steady_clock::now() < deadline) {
        spinEventLoop(50ms);
        finished = 0;
        for (const QString &id : ids) {
            finished += isFinalStatus(await(client->record(id)).value().status) ? 1 : 0;
        }
    }
    awaitTask(pool.stop(5s));

    EXPECT_EQ(finished, ids.size());
    EXPECT_EQ(provider.requestCount(), ids.size());
    EXPECT_LE(provider.maxConcurrentStreams(), 2);
    EXPECT_EQ(provider.maxConcurrentStreams(), 2) << "the limit was never reached";
    for (const QString &id : ids) {
        EXPECT_EQ(await(client->record(id)).value().status, JobStatus::Succeeded);
    }
}

TEST(RedisQueue, PerMinuteLimitHoldsBackFurtherClaims)
{
    const QString url = freshUrl();
    auto backend = openRedis(url);
    auto queue = backend->connect();
    RedisConnection raw(parsedUrl(url));
    rawCommand(raw, {"HSET", raw.url().prefix + "limits:default", "per_minute", "3"});
    for (int i = 0; i < 4; ++i) {
        await(queue->submit(chatRequest(u"job %1"_s.arg(i)))).value();
    }

    int claimed = 0;
    for (int i = 0; i < 4; ++i) {
        const auto job = await(queue->claim(workerNamed(u"w"_s), 500ms));
        ASSERT_TRUE(job.ok());
        claimed += job->has_value() ? 1 : 0;
    }

    EXPECT_EQ(claimed, 3);
    const JobRecord waiting = await(queue->listJobs(1)).value().value(0);
    EXPECT_EQ(waiting.status, JobStatus::Queued);
}

TEST(RedisQueue, WorkerServingSeveralQueuesLosesNoneOfOneRead)
{
    auto backend = openRedis(freshUrl());
    auto queue = backend->connect();
    ChatRequest first = chatRequest(u"one"_s);
    first.profile = u"alpha"_s;
    ChatRequest second = chatRequest(u"two"_s);
    second.profile = u"beta"_s;
    const QString a = await(queue->submit(first)).value();
    const QString b = await(queue->submit(second)).value();
    WorkerIdentity both = workerNamed(u"w"_s);
    both.profiles = {u"alpha"_s, u"beta"_s};

    const auto one = await(queue->claim(both, 5s));
    const auto two = await(queue->claim(both, 50ms));

    ASSERT_TRUE(one.ok());
    ASSERT_TRUE(two.ok());
    ASSERT_TRUE(one->has_value());
    ASSERT_TRUE(two->has_value());
    EXPECT_EQ(QSet<QString>({(*one)->jobId, (*two)->jobId}), QSet<QString>({a, b}));
}

TEST(RedisQueue, WorksOverTlsWithAnAclUser)
{
    RedisServerOptions options;
    options.user = u"chatqueue"_s;
    options.password = u"s3cret pass"_s;
    options.tls = true;
    RedisServer server(options);
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    auto backend = openRedis(server.url());
    auto client = backend->connect();
    auto worker = backend->connect();

    const QString id = await(client->submit(chatRequest(u"over tls"_s))).value();
    const ClaimedJob job = await(worker->claim(workerNamed(u"w"_s), 5s)).value().value();
    ASSERT_TRUE(await(worker->appendEvents(job, {textDelta(u"secure"_s)})).ok());
    ASSERT_TRUE(await(worker->finish(job, finalRecord(JobStatus::Succeeded, u"secure"_s))).ok());

    EXPECT_EQ(job.jobId, id);
    EXPECT_EQ(shownText(allEvents(*client, id)), u"secure"_s);
    EXPECT_EQ(await(client->record(id)).value().status, JobStatus::Succeeded);
    EXPECT_FALSE(backend->describe().contains(u"s3cret"_s));
}

TEST(RedisQueue, CancelKeySetByAnotherClientEndsAQueuedJobAtClaim)
{
    const QString url = freshUrl();
    auto backend = openRedis(url);
    auto queue = backend->connect();
    RedisConnection raw(parsedUrl(url));
    const QString id = await(queue->submit(chatRequest(u"never mind"_s))).value();
    rawCommand(raw, {"SET", raw.url().prefix + "job:{" + id.toUtf8() + "}:cancel", "1"});

    const auto claimed = await(queue->claim(workerNamed(u"w"_s), 200ms));

    ASSERT_TRUE(claimed.ok());
    EXPECT_FALSE(claimed->has_value());
    EXPECT_EQ(await(queue->record(id)).value().status, JobStatus::Cancelled);
    const QList<JobEvent> events = allEvents(*queue, id);
    ASSERT_FALSE(events.isEmpty());
    EXPECT_EQ(events.last().type, JobEvent::Type::Done);
    EXPECT_EQ(events.last().status, JobStatus::Cancelled);
}
