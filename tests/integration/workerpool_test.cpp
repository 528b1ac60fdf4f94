// The worker pool end to end: jobs on the in-process queue, streamed by pool threads from
// the fake provider over loopback HTTP, followed by a JobWatcher until their records end.

#include "tests/integration/awaittask.h"

#include "core/queue/jobqueue.h"
#include "core/queue/jobwatcher.h"
#include "core/settings/profileregistry.h"
#include "core/worker/workerpool.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/fixtures.h"

#include <gtest/gtest.h>

#include <QJsonObject>
#include <QSignalSpy>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr std::chrono::milliseconds kJobTimeout = 30s;

// Waits for `spy` to see a signal, unless it already has. (QCoro 0.8's signal awaiter can
// crash when a signal fires twice before it resumes, so tests use QSignalSpy.)
bool waitForSignal(QSignalSpy &spy)
{
    return !spy.isEmpty() || spy.wait(static_cast<int>(kJobTimeout.count()));
}

const QString kFixture = u"openai-gpt4o-text-include-usage.sse"_s;

QString fixtureContent(const QString &fileName)
{
    return fixtures::expected(fileName)
            .value(u"choices"_s)
            .toObject()
            .value(u"0"_s)
            .toObject()
            .value(u"content"_s)
            .toString();
}

QString longText()
{
    QString text;
    for (int i = 0; i < 60; ++i) {
        text += u"word%1 "_s.arg(i);
    }
    return text;
}

ChatRequest request(const QString &profile = u"default"_s)
{
    ChatRequest request;
    request.profile = profile;
    request.model = u"fake-model"_s;
    request.messages.append(ChatMessage {u"user"_s, u"Say something."_s, QString()});
    return request;
}

class WorkerPoolTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_backend = openQueueBackend(u"memory"_s, QString()).value();
        m_client = m_backend->connect();

        ProviderProfile profile;
        profile.name = u"default"_s;
        profile.baseUrl = m_provider.baseUrl();
        profile.retry.baseDelay = 10ms;
        profile.retry.maxDelay = 50ms;
        m_profiles->insert(profile);
    }

    std::unique_ptr<WorkerPool> startPool(int threads = 2)
    {
        WorkerPoolOptions options;
        options.threads = threads;
        options.streamsPerThread = 4;
        options.workerName = u"test"_s;
        auto pool = std::make_unique<WorkerPool>(m_backend, m_profiles, options);
        pool->start();
        return pool;
    }

    QString submit(const ChatRequest &sent = request())
    {
        QueueResult<QString> id = awaitTask(m_client->submit(sent));
        EXPECT_TRUE(id.ok());
        return id ? *id : QString();
    }

    // Follows the job with a JobWatcher until it ends; its record, or a failed test.
    JobRecord watchToEnd(const QString &id)
    {
        JobWatcher watcher(m_client.get(), id);
        QSignalSpy finished(&watcher, &JobWatcher::finished);
        watcher.start();
        if (!waitForSignal(finished)) {
            ADD_FAILURE() << "job " << id.toStdString() << " did not end in time";
            return JobRecord();
        }
        const JobRecord record = finished.first().first().value<JobRecord>();
        EXPECT_EQ(watcher.reply().content, record.content);
        return record;
    }

    // Waits until the job has streamed some text.
    void waitForFirstDelta(const QString &id)
    {
        JobWatcher watcher(m_client.get(), id);
        QSignalSpy delta(&watcher, &JobWatcher::deltaReceived);
        watcher.start();
        ASSERT_TRUE(waitForSignal(delta)) << "no delta arrived";
    }

    JobRecord record(const QString &id)
    {
        QueueResult<JobRecord> result = awaitTask(m_client->record(id));
        EXPECT_TRUE(result.ok());
        return result ? *result : JobRecord();
    }

    FakeProvider m_provider;
    std::shared_ptr<QueueBackend> m_backend;
    std::shared_ptr<ProfileRegistry> m_profiles = std::make_shared<ProfileRegistry>();
    std::unique_ptr<JobQueue> m_client;
};

} // namespace

TEST_F(WorkerPoolTest, FixtureStreamSucceedsWithItsContent)
{
    m_provider.setDefaultScenario(FakeProvider::Scenario::fixture(kFixture));
    auto pool = startPool();
    const QString id = submit();

    const JobRecord result = watchToEnd(id);

    EXPECT_EQ(result.status, JobStatus::Succeeded);
    EXPECT_EQ(result.content, fixtureContent(kFixture));
    EXPECT_EQ(result.finishReason, u"stop"_s);
    EXPECT_TRUE(result.usage.known);
    EXPECT_EQ(result.usage.completionTokens, 30);
    EXPECT_FALSE(result.error.has_value());
    EXPECT_EQ(result.attempts, 1);
    EXPECT_TRUE(result.worker.startsWith(u"test/"_s));
    EXPECT_GT(result.submittedAtMs, 0);
    EXPECT_GE(result.startedAtMs, result.submittedAtMs);
    EXPECT_GE(result.firstTokenAtMs, result.startedAtMs);
    EXPECT_GE(result.finishedAtMs, result.firstTokenAtMs);
}

TEST_F(WorkerPoolTest, UnauthorizedFailsWithAuthError)
{
    m_provider.setDefaultScenario(
            FakeProvider::Scenario::errorFixture(401, u"openai-401-invalid-api-key.json"_s));
    auto pool = startPool();
    const QString id = submit();

    const JobRecord result = watchToEnd(id);

    EXPECT_EQ(result.status, JobStatus::Failed);
    ASSERT_TRUE(result.error.has_value());
    EXPECT_EQ(result.error->kind, ErrorKind::Auth);
    EXPECT_EQ(result.error->httpStatus, 401);
    EXPECT_EQ(m_provider.requestCount(), 1);
}

TEST_F(WorkerPoolTest, RateLimitThenSuccessSucceeds)
{
    m_provider.enqueue(FakeProvider::Scenario::rateLimited(1));
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"after waiting"_s));
    auto pool = startPool();
    const QString id = submit();

    const JobRecord result = watchToEnd(id);

    EXPECT_EQ(result.status, JobStatus::Succeeded);
    EXPECT_EQ(result.content, u"after waiting"_s);
    EXPECT_EQ(m_provider.requestCount(), 2);
}

TEST_F(WorkerPoolTest, RepeatedServerErrorsFail)
{
    m_provider.setDefaultScenario(FakeProvider::Scenario::error(500, u"upstream broke"_s));
    auto pool = startPool();
    const QString id = submit();

    const JobRecord result = watchToEnd(id);

    EXPECT_EQ(result.status, JobStatus::Failed);
    ASSERT_TRUE(result.error.has_value());
    EXPECT_EQ(result.error->kind, ErrorKind::Server);
    EXPECT_GT(m_provider.requestCount(), 1);
}

TEST_F(WorkerPoolTest, HtmlPageFailsAsProtocolError)
{
    m_provider.setDefaultScenario(FakeProvider::Scenario::htmlPage());
    auto pool = startPool();
    const QString id = submit();

    const JobRecord result = watchToEnd(id);

    EXPECT_EQ(result.status, JobStatus::Failed);
    ASSERT_TRUE(result.error.has_value());
    EXPECT_EQ(result.error->kind, ErrorKind::Protocol);
}

TEST_F(WorkerPoolTest, DroppedStreamFailsKeepingPartialContent)
{
    const QString text = longText();
    const QByteArray body = FakeProvider::contentStream(text);
    m_provider.setDefaultScenario(
            FakeProvider::Scenario::stream(body).inChunks(64, 5ms).dropAfter(body.size() / 2));
    auto pool = startPool();
    const QString id = submit();

    const JobRecord result = watchToEnd(id);

    EXPECT_EQ(result.status, JobStatus::Failed);
    ASSERT_TRUE(result.error.has_value());
    EXPECT_EQ(result.error->kind, ErrorKind::Network);
    EXPECT_FALSE(result.content.isEmpty());
    EXPECT_LT(result.content.size(), text.size());
    EXPECT_TRUE(text.startsWith(result.content));
}

TEST_F(WorkerPoolTest, CancelStopsSlowStreamKeepingPartialContent)
{
    const QString text = longText();
    m_provider.setDefaultScenario(
            FakeProvider::contentScenario(text, 4).inChunks(32, 50ms));
    auto pool = startPool();
    const QString id = submit();
    waitForFirstDelta(id);

    ASSERT_TRUE(awaitTask(m_client->cancel(id)).ok());
    const JobRecord result = watchToEnd(id);

    EXPECT_EQ(result.status, JobStatus::Cancelled);
    ASSERT_TRUE(result.error.has_value());
    EXPECT_EQ(result.error->kind, ErrorKind::Cancelled);
    EXPECT_FALSE(result.content.isEmpty());
    EXPECT_LT(result.content.size(), text.size());
    EXPECT_TRUE(text.startsWith(result.content));
}

TEST_F(WorkerPoolTest, SeveralJobsStreamAtOnce)
{
    m_provider.setDefaultScenario(
            FakeProvider::contentScenario(u"parallel answer"_s, 2).inChunks(16, 30ms));
    auto pool = startPool(2);
    QStringList ids;
    for (int i = 0; i < 6; ++i) {
        ids.append(submit());
    }

    QList<JobRecord> results;
    for (const QString &id : ids) {
        results.append(watchToEnd(id));
    }

    for (const JobRecord &result : results) {
        EXPECT_EQ(result.status, JobStatus::Succeeded);
        EXPECT_EQ(result.content, u"parallel answer"_s);
    }
    EXPECT_EQ(m_provider.requestCount(), 6);
    EXPECT_GE(m_provider.maxConcurrentStreams(), 2);
}

TEST_F(WorkerPoolTest, UnknownProfileFailsWithClearError)
{
    auto pool = startPool();
    const QString id = submit(request(u"nobody-serves-this"_s));

    const JobRecord result = watchToEnd(id);

    EXPECT_EQ(result.status, JobStatus::Failed);
    ASSERT_TRUE(result.error.has_value());
    EXPECT_EQ(result.error->kind, ErrorKind::NotFound);
    EXPECT_TRUE(result.error->message.contains(u"nobody-serves-this"_s));
    EXPECT_EQ(m_provider.requestCount(), 0);
}

TEST_F(WorkerPoolTest, StopHandsRunningJobBackToQueue)
{
    m_provider.setDefaultScenario(
            FakeProvider::contentScenario(longText(), 4).inChunks(32, 50ms));
    auto pool = startPool();
    const QString id = submit();
    waitForFirstDelta(id);

    awaitTask(pool->stop(0ms));

    const JobRecord handedBack = record(id);
    EXPECT_EQ(handedBack.status, JobStatus::Queued);
    EXPECT_EQ(handedBack.attempts, 1);
    EXPECT_FALSE(pool->isRunning());
}

TEST_F(WorkerPoolTest, HandedBackJobRunsAgainAsNextAttempt)
{
    m_provider.enqueue(FakeProvider::contentScenario(longText(), 4).inChunks(32, 50ms));
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"second time"_s));
    auto first = startPool();
    const QString id = submit();
    waitForFirstDelta(id);
    awaitTask(first->stop(0ms));
    JobWatcher watcher(m_client.get(), id);
    QSignalSpy resets(&watcher, &JobWatcher::resetReceived);
    watcher.start();

    auto second = startPool();
    const JobRecord result = watchToEnd(id);

    ASSERT_TRUE(waitForSignal(resets));
    EXPECT_EQ(resets.last().first().toInt(), 2);
    EXPECT_EQ(result.status, JobStatus::Succeeded);
    EXPECT_EQ(result.content, u"second time"_s);
    EXPECT_EQ(result.attempts, 2);
}

TEST_F(WorkerPoolTest, DestroyingPoolHandsRunningJobBack)
{
    m_provider.setDefaultScenario(
            FakeProvider::contentScenario(longText(), 4).inChunks(32, 50ms));
    auto pool = startPool();
    const QString id = submit();
    waitForFirstDelta(id);

    pool.reset();

    EXPECT_EQ(record(id).status, JobStatus::Queued);
}

TEST_F(WorkerPoolTest, GraceLetsShortJobFinish)
{
    m_provider.setDefaultScenario(
            FakeProvider::contentScenario(u"finished in time"_s, 4).inChunks(8, 20ms));
    auto pool = startPool();
    const QString id = submit();
    waitForFirstDelta(id);

    awaitTask(pool->stop(kJobTimeout));

    const JobRecord result = record(id);
    EXPECT_EQ(result.status, JobStatus::Succeeded);
    EXPECT_EQ(result.content, u"finished in time"_s);
}
