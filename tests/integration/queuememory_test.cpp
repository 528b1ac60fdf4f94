// The in-process queue: the shared conformance suite, plus what only it does (cancel
// pushed to every handle, persistence across a restart).

#include "tests/integration/queueconformance.h"

#include "tests/integration/awaittask.h"

#include "core/queue/jobqueue.h"

#include <gtest/gtest.h>

#include <QCoroTask>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr std::chrono::milliseconds kLongWait = 10s;
constexpr std::chrono::milliseconds kShortWait = 50ms;

template<typename T>
T await(QCoro::Task<T> task)
{
    return awaitTask(std::move(task));
}

std::shared_ptr<QueueBackend> openMemory(const QString &dataDir = QString())
{
    auto backend = openQueueBackend(u"memory"_s, dataDir);
    EXPECT_TRUE(backend.ok()) << (backend ? std::string() : backend.error().message.toStdString());
    return backend ? *backend : nullptr;
}

ChatRequest request(const QString &prompt)
{
    ChatRequest request;
    request.model = u"test-model"_s;
    request.messages.append(ChatMessage {u"user"_s, prompt, QString()});
    return request;
}

WorkerIdentity worker()
{
    return WorkerIdentity {u"memory-test/1"_s, {}, 1};
}

std::optional<ClaimedJob> claim(JobQueue &queue, std::chrono::milliseconds wait = kLongWait)
{
    QueueResult<std::optional<ClaimedJob>> claimed = await(queue.claim(worker(), wait));
    EXPECT_TRUE(claimed.ok());
    return claimed ? *claimed : std::nullopt;
}

QList<JobEvent> allEvents(JobQueue &queue, const QString &jobId)
{
    QueueResult<QList<JobEvent>> events = await(queue.readEvents(jobId, QString(), kShortWait));
    return events ? *events : QList<JobEvent>();
}

} // namespace

INSTANTIATE_TEST_SUITE_P(Memory,
                         QueueConformance,
                         ::testing::Values(QueueBackendFactory {u"Memory"_s,
                                                                [] { return openMemory(); }}),
                         queueBackendFactoryName);

TEST(MemoryQueue, CancelOfRunningJobIsSignalledToEveryHandle)
{
    auto backend = openMemory();
    auto client = backend->connect();
    auto workerQueue = backend->connect();
    const QString id = await(client->submit(request(u"hi"_s))).value();
    ASSERT_TRUE(claim(*workerQueue).has_value());
    QSignalSpy signalled(workerQueue.get(), &JobQueue::cancelRequested);

    ASSERT_TRUE(await(client->cancel(id)).ok());
    const bool arrived = signalled.wait(static_cast<int>(kLongWait.count()));

    ASSERT_TRUE(arrived);
    EXPECT_EQ(signalled.first().first().toString(), id);
}

TEST(MemoryQueue, ReleaseAfterCancelEndsJobCancelled)
{
    auto backend = openMemory();
    auto queue = backend->connect();
    const QString id = await(queue->submit(request(u"hi"_s))).value();
    const std::optional<ClaimedJob> job = claim(*queue);
    ASSERT_TRUE(job.has_value());
    ASSERT_TRUE(await(queue->cancel(id)).ok());

    ASSERT_TRUE(await(queue->release(*job)).ok());

    EXPECT_EQ(await(queue->record(id))->status, JobStatus::Cancelled);
}

TEST(MemoryQueue, DestroyingHandleEndsItsWaits)
{
    auto backend = openMemory();
    auto queue = backend->connect();
    auto claiming = queue->claim(worker(), kLongWait);

    queue.reset();
    const QueueResult<std::optional<ClaimedJob>> claimed = await(std::move(claiming));

    ASSERT_FALSE(claimed.ok());
    EXPECT_EQ(claimed.error().kind, QueueError::Kind::Unavailable);
}

TEST(MemoryQueue, UnknownUrlIsRejected)
{
    const auto backend = openQueueBackend(u"carrier-pigeon://coop"_s, QString());

    ASSERT_FALSE(backend.ok());
    EXPECT_EQ(backend.error().kind, QueueError::Kind::Invalid);
}

TEST(MemoryQueue, SameDataFolderSharesOneQueue)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    auto first = openMemory(dir.path());
    auto second = openMemory(dir.path());
    const QString id = await(first->connect()->submit(request(u"shared"_s))).value();

    const QueueResult<JobRecord> record = await(second->connect()->record(id));

    ASSERT_TRUE(record.ok());
    EXPECT_EQ(record->status, JobStatus::Queued);
}

TEST(MemoryQueuePersistence, QueuedJobSurvivesRestart)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QString id;
    {
        auto backend = openMemory(dir.path());
        id = await(backend->connect()->submit(request(u"keep me"_s))).value();
    }

    auto reopened = openMemory(dir.path());
    auto queue = reopened->connect();
    const std::optional<ClaimedJob> job = claim(*queue);

    ASSERT_TRUE(job.has_value());
    EXPECT_EQ(job->jobId, id);
    EXPECT_EQ(job->attempt, 1);
    EXPECT_EQ(job->request.messages.first().content, u"keep me"_s);
}

TEST(MemoryQueuePersistence, RunningJobIsRequeuedWithNextAttempt)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QString id;
    {
        auto backend = openMemory(dir.path());
        auto queue = backend->connect();
        id = await(queue->submit(request(u"interrupted"_s))).value();
        ASSERT_TRUE(claim(*queue).has_value());
    }

    auto reopened = openMemory(dir.path());
    auto queue = reopened->connect();
    const JobStatus statusAfterRestart = await(queue->record(id))->status;
    const std::optional<ClaimedJob> job = claim(*queue);

    EXPECT_EQ(statusAfterRestart, JobStatus::Queued);
    ASSERT_TRUE(job.has_value());
    EXPECT_EQ(job->jobId, id);
    EXPECT_EQ(job->attempt, 2);
    const QList<JobEvent> events = allEvents(*queue, id);
    ASSERT_FALSE(events.isEmpty());
    EXPECT_EQ(events.first().type, JobEvent::Type::Reset);
    EXPECT_EQ(events.first().attempt, 2);
}

TEST(MemoryQueuePersistence, FinishedRecordIsReadableAfterRestart)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QString id;
    {
        auto backend = openMemory(dir.path());
        auto queue = backend->connect();
        id = await(queue->submit(request(u"done before"_s))).value();
        const std::optional<ClaimedJob> job = claim(*queue);
        ASSERT_TRUE(job.has_value());
        JobRecord result;
        result.status = JobStatus::Succeeded;
        result.content = u"the answer"_s;
        ASSERT_TRUE(await(queue->finish(*job, result)).ok());
    }

    auto reopened = openMemory(dir.path());
    auto queue = reopened->connect();
    const QueueResult<JobRecord> record = await(queue->record(id));
    const std::optional<ClaimedJob> nothing = claim(*queue, kShortWait);

    ASSERT_TRUE(record.ok());
    EXPECT_EQ(record->status, JobStatus::Succeeded);
    EXPECT_EQ(record->content, u"the answer"_s);
    EXPECT_FALSE(nothing.has_value());
    const QList<JobEvent> events = allEvents(*queue, id);
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().type, JobEvent::Type::Done);
}
