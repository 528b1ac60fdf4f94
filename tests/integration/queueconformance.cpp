#include "tests/integration/queueconformance.h"

#include "tests/integration/awaittask.h"

#include <QCoroTask>
#include <QThread>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// Long enough never to run out on a loaded machine; a wait that works returns far sooner.
constexpr std::chrono::milliseconds kLongWait = 10s;
constexpr std::chrono::milliseconds kShortWait = 50ms;

template<typename T>
T await(QCoro::Task<T> task)
{
    return awaitTask(std::move(task));
}

JobEvent textDelta(const QString &text)
{
    ChatDelta delta;
    delta.content = text;
    return JobEvent::makeDelta(1, delta);
}

QList<JobEvent> ofType(const QList<JobEvent> &events, JobEvent::Type type)
{
    QList<JobEvent> matching;
    std::copy_if(events.begin(), events.end(), std::back_inserter(matching),
                 [type](const JobEvent &event) { return event.type == type; });
    return matching;
}

QString joinedContent(const QList<JobEvent> &events)
{
    QString text;
    for (const JobEvent &event : ofType(events, JobEvent::Type::Delta)) {
        text += event.delta.content;
    }
    return text;
}

// Every event of a job up to now, read with waits short enough to stop at the end.
QList<JobEvent> allEvents(JobQueue &queue, const QString &jobId)
{
    QList<JobEvent> events;
    for (;;) {
        const QString after = events.isEmpty() ? QString() : events.last().id;
        QueueResult<QList<JobEvent>> more = await(queue.readEvents(jobId, after, kShortWait));
        if (!more || more->isEmpty()) {
            return events;
        }
        events += *more;
    }
}

JobRecord succeededRecord(const QString &content)
{
    JobRecord record;
    record.status = JobStatus::Succeeded;
    record.content = content;
    record.finishReason = u"stop"_s;
    return record;
}

} // namespace

std::string queueBackendFactoryName(const ::testing::TestParamInfo<QueueBackendFactory> &info)
{
    return info.param.name.toStdString();
}

void PrintTo(const QueueBackendFactory &factory, std::ostream *out)
{
    *out << factory.name.toStdString();
}

void QueueConformance::SetUp()
{
    m_backend = GetParam().open();
    ASSERT_TRUE(m_backend);
    m_client = m_backend->connect();
    m_worker = m_backend->connect();
}

void QueueConformance::TearDown()
{
    m_worker.reset();
    m_client.reset();
    m_backend.reset();
}

ChatRequest QueueConformance::request(const QString &prompt, const QString &profile)
{
    ChatRequest request;
    request.profile = profile;
    request.model = u"test-model"_s;
    request.messages.append(ChatMessage {u"user"_s, prompt, QString()});
    return request;
}

WorkerIdentity QueueConformance::worker(const QStringList &profiles)
{
    WorkerIdentity identity;
    identity.id = u"conformance/1"_s;
    identity.profiles = profiles;
    return identity;
}

ClaimedJob QueueConformance::claimOne(JobQueue &queue, const WorkerIdentity &identity)
{
    QueueResult<std::optional<ClaimedJob>> claimed = await(queue.claim(identity, kLongWait));
    EXPECT_TRUE(claimed.ok()) << claimed.error().message.toStdString();
    if (!claimed || !claimed->has_value()) {
        ADD_FAILURE() << "no job could be claimed";
        return ClaimedJob();
    }
    return **claimed;
}

TEST_P(QueueConformance, SubmitReturnsIdOfQueuedJob)
{
    const ChatRequest sent = request(u"hello"_s);

    const QueueResult<QString> id = await(m_client->submit(sent));

    ASSERT_TRUE(id.ok());
    EXPECT_FALSE(id->isEmpty());
    const QueueResult<JobRecord> record = await(m_client->record(*id));
    ASSERT_TRUE(record.ok());
    EXPECT_EQ(record->id, *id);
    EXPECT_EQ(record->status, JobStatus::Queued);
    EXPECT_EQ(record->request, sent);
    EXPECT_GT(record->submittedAtMs, 0);
}

TEST_P(QueueConformance, EachSubmitGetsItsOwnId)
{
    const QueueResult<QString> first = await(m_client->submit(request(u"one"_s)));
    const QueueResult<QString> second = await(m_client->submit(request(u"two"_s)));

    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(second.ok());
    EXPECT_NE(*first, *second);
}

TEST_P(QueueConformance, ClaimTakesSubmittedJob)
{
    const ChatRequest sent = request(u"hello"_s);
    const QString id = await(m_client->submit(sent)).value();

    const ClaimedJob job = claimOne(*m_worker);

    EXPECT_EQ(job.jobId, id);
    EXPECT_EQ(job.request, sent);
    EXPECT_EQ(job.attempt, 1);
    EXPECT_FALSE(job.receipt.isEmpty());
    EXPECT_EQ(await(m_client->record(id))->status, JobStatus::Running);
}

TEST_P(QueueConformance, ClaimTakesOldestJobFirst)
{
    const QString first = await(m_client->submit(request(u"one"_s))).value();
    const QString second = await(m_client->submit(request(u"two"_s))).value();

    const ClaimedJob a = claimOne(*m_worker);
    const ClaimedJob b = claimOne(*m_worker);

    EXPECT_EQ(a.jobId, first);
    EXPECT_EQ(b.jobId, second);
}

TEST_P(QueueConformance, ClaimTimesOutEmptyWhenNothingIsQueued)
{
    const QueueResult<std::optional<ClaimedJob>> claimed
            = await(m_worker->claim(worker(), kShortWait));

    ASSERT_TRUE(claimed.ok());
    EXPECT_FALSE(claimed->has_value());
}

TEST_P(QueueConformance, WaitingClaimReturnsWhenJobArrives)
{
    auto claiming = m_worker->claim(worker(), kLongWait);

    const QString id = await(m_client->submit(request(u"late"_s))).value();
    const QueueResult<std::optional<ClaimedJob>> claimed = await(std::move(claiming));

    ASSERT_TRUE(claimed.ok());
    ASSERT_TRUE(claimed->has_value());
    EXPECT_EQ((*claimed)->jobId, id);
}

TEST_P(QueueConformance, ClaimSkipsProfilesTheWorkerDoesNotServe)
{
    const QString other = await(m_client->submit(request(u"a"_s, u"other"_s))).value();
    const QString mine = await(m_client->submit(request(u"b"_s, u"mine"_s))).value();

    const ClaimedJob job = claimOne(*m_worker, worker({u"mine"_s}));
    const QueueResult<std::optional<ClaimedJob>> none
            = await(m_worker->claim(worker({u"mine"_s}), kShortWait));

    EXPECT_EQ(job.jobId, mine);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    EXPECT_EQ(await(m_client->record(other))->status, JobStatus::Queued);
}

TEST_P(QueueConformance, ClaimWorksFromAnotherThread)
{
    std::optional<ClaimedJob> claimed;
    std::unique_ptr<QThread> thread(QThread::create([this, &claimed] {
        std::unique_ptr<JobQueue> queue = m_backend->connect();
        QueueResult<std::optional<ClaimedJob>> result = await(queue->claim(worker(), kLongWait));
        if (result) {
            claimed = *result;
        }
    }));
    thread->start();

    const QString id = await(m_client->submit(request(u"threaded"_s))).value();
    thread->wait();

    ASSERT_TRUE(claimed.has_value());
    EXPECT_EQ(claimed->jobId, id);
}

TEST_P(QueueConformance, EventsReadFromAnyPosition)
{
    const QString id = await(m_client->submit(request(u"hi"_s))).value();
    const ClaimedJob job = claimOne(*m_worker);
    ASSERT_TRUE(await(m_worker->appendEvents(job, {textDelta(u"a"_s), textDelta(u"b"_s)})).ok());
    ASSERT_TRUE(await(m_worker->appendEvents(job, {textDelta(u"c"_s)})).ok());

    const QList<JobEvent> all = allEvents(*m_client, id);
    const QList<JobEvent> deltas = ofType(all, JobEvent::Type::Delta);
    ASSERT_EQ(deltas.size(), 3);
    const QList<JobEvent> afterFirst
            = await(m_client->readEvents(id, deltas.first().id, kShortWait)).value();

    EXPECT_EQ(joinedContent(all), u"abc"_s);
    EXPECT_EQ(joinedContent(afterFirst), u"bc"_s);
    EXPECT_EQ(afterFirst.last().id, all.last().id);
    EXPECT_EQ(deltas.first().attempt, 1);
}

TEST_P(QueueConformance, SeveralReadersSeeTheSameLog)
{
    const QString id = await(m_client->submit(request(u"hi"_s))).value();
    const ClaimedJob job = claimOne(*m_worker);
    std::unique_ptr<JobQueue> secondReader = m_backend->connect();
    ASSERT_TRUE(await(m_worker->appendEvents(job, {textDelta(u"x"_s), textDelta(u"y"_s)})).ok());

    const QList<JobEvent> first = allEvents(*m_client, id);
    const QList<JobEvent> second = allEvents(*secondReader, id);

    EXPECT_EQ(joinedContent(first), u"xy"_s);
    EXPECT_EQ(joinedContent(second), u"xy"_s);
    ASSERT_EQ(first.size(), second.size());
    EXPECT_EQ(first.last().id, second.last().id);
}

TEST_P(QueueConformance, WaitingReadReturnsWhenEventArrives)
{
    const QString id = await(m_client->submit(request(u"hi"_s))).value();
    const ClaimedJob job = claimOne(*m_worker);
    const QList<JobEvent> before = allEvents(*m_client, id);
    const QString after = before.isEmpty() ? QString() : before.last().id;
    auto reading = m_client->readEvents(id, after, kLongWait);

    ASSERT_TRUE(await(m_worker->appendEvents(job, {textDelta(u"now"_s)})).ok());
    const QueueResult<QList<JobEvent>> events = await(std::move(reading));

    ASSERT_TRUE(events.ok());
    EXPECT_EQ(joinedContent(*events), u"now"_s);
}

TEST_P(QueueConformance, WaitingReadReturnsWhenEventArrivesFromAnotherThread)
{
    const QString id = await(m_client->submit(request(u"hi"_s))).value();
    const ClaimedJob job = claimOne(*m_worker);
    const QList<JobEvent> before = allEvents(*m_client, id);
    const QString after = before.isEmpty() ? QString() : before.last().id;
    auto reading = m_client->readEvents(id, after, kLongWait);

    std::unique_ptr<QThread> thread(QThread::create([this, job] {
        std::unique_ptr<JobQueue> queue = m_backend->connect();
        EXPECT_TRUE(await(queue->appendEvents(job, {textDelta(u"there"_s)})).ok());
    }));
    thread->start();
    const QueueResult<QList<JobEvent>> events = await(std::move(reading));
    thread->wait();

    ASSERT_TRUE(events.ok());
    EXPECT_EQ(joinedContent(*events), u"there"_s);
}

TEST_P(QueueConformance, ReadAtEndTimesOutEmpty)
{
    const QString id = await(m_client->submit(request(u"hi"_s))).value();
    const ClaimedJob job = claimOne(*m_worker);
    ASSERT_TRUE(await(m_worker->appendEvents(job, {textDelta(u"a"_s)})).ok());
    const QList<JobEvent> all = allEvents(*m_client, id);
    ASSERT_FALSE(all.isEmpty());

    const QueueResult<QList<JobEvent>> more
            = await(m_client->readEvents(id, all.last().id, kShortWait));

    ASSERT_TRUE(more.ok());
    EXPECT_TRUE(more->isEmpty());
}

TEST_P(QueueConformance, FinishStoresRecordAndEndsLog)
{
    const QString id = await(m_client->submit(request(u"hi"_s))).value();
    const ClaimedJob job = claimOne(*m_worker);
    ASSERT_TRUE(await(m_worker->appendEvents(job, {textDelta(u"answer"_s)})).ok());

    const QueueResult<void> finished = await(m_worker->finish(job, succeededRecord(u"answer"_s)));

    ASSERT_TRUE(finished.ok());
    const JobRecord record = await(m_client->record(id)).value();
    EXPECT_EQ(record.status, JobStatus::Succeeded);
    EXPECT_EQ(record.content, u"answer"_s);
    EXPECT_EQ(record.finishReason, u"stop"_s);
    EXPECT_EQ(record.attempts, 1);
    EXPECT_GT(record.submittedAtMs, 0);
    EXPECT_GT(record.finishedAtMs, 0);
    const QList<JobEvent> events = allEvents(*m_client, id);
    ASSERT_FALSE(events.isEmpty());
    EXPECT_EQ(events.last().type, JobEvent::Type::Done);
    EXPECT_EQ(events.last().status, JobStatus::Succeeded);
}

TEST_P(QueueConformance, FinishedJobIsNotClaimedAgain)
{
    await(m_client->submit(request(u"hi"_s))).value();
    const ClaimedJob job = claimOne(*m_worker);
    ASSERT_TRUE(await(m_worker->finish(job, succeededRecord(u"done"_s))).ok());

    const QueueResult<std::optional<ClaimedJob>> again
            = await(m_worker->claim(worker(), kShortWait));

    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(again->has_value());
}

TEST_P(QueueConformance, CancelOfQueuedJobEndsItAtOnce)
{
    const QString id = await(m_client->submit(request(u"hi"_s))).value();

    const QueueResult<void> cancelled = await(m_client->cancel(id));

    ASSERT_TRUE(cancelled.ok());
    EXPECT_EQ(await(m_client->record(id))->status, JobStatus::Cancelled);
    const QList<JobEvent> events = allEvents(*m_client, id);
    ASSERT_FALSE(events.isEmpty());
    EXPECT_EQ(events.last().type, JobEvent::Type::Done);
    EXPECT_EQ(events.last().status, JobStatus::Cancelled);
    const QueueResult<std::optional<ClaimedJob>> claimed
            = await(m_worker->claim(worker(), kShortWait));
    ASSERT_TRUE(claimed.ok());
    EXPECT_FALSE(claimed->has_value());
}

TEST_P(QueueConformance, CancelOfRunningJobReachesWorker)
{
    const QString id = await(m_client->submit(request(u"hi"_s))).value();
    const ClaimedJob job = claimOne(*m_worker);

    ASSERT_TRUE(await(m_client->cancel(id)).ok());
    const QueueResult<bool> appended = await(m_worker->appendEvents(job, {textDelta(u"p"_s)}));
    const QueueResult<bool> renewed = await(m_worker->renewLease(job));

    ASSERT_TRUE(appended.ok());
    EXPECT_TRUE(*appended);
    ASSERT_TRUE(renewed.ok());
    EXPECT_TRUE(*renewed);
    EXPECT_EQ(await(m_client->record(id))->status, JobStatus::Running);
}

TEST_P(QueueConformance, AppendWithoutCancelReportsFalse)
{
    await(m_client->submit(request(u"hi"_s))).value();
    const ClaimedJob job = claimOne(*m_worker);

    const QueueResult<bool> appended = await(m_worker->appendEvents(job, {textDelta(u"p"_s)}));

    ASSERT_TRUE(appended.ok());
    EXPECT_FALSE(*appended);
}

TEST_P(QueueConformance, ReleaseQueuesJobAgainForNextAttempt)
{
    const QString id = await(m_client->submit(request(u"hi"_s))).value();
    const ClaimedJob first = claimOne(*m_worker);
    ASSERT_TRUE(await(m_worker->appendEvents(first, {textDelta(u"old"_s)})).ok());

    ASSERT_TRUE(await(m_worker->release(first)).ok());
    const JobStatus afterRelease = await(m_client->record(id))->status;
    const ClaimedJob second = claimOne(*m_worker);

    EXPECT_EQ(afterRelease, JobStatus::Queued);
    EXPECT_EQ(second.jobId, id);
    EXPECT_EQ(second.attempt, 2);
    const QList<JobEvent> resets = ofType(allEvents(*m_client, id), JobEvent::Type::Reset);
    ASSERT_FALSE(resets.isEmpty());
    EXPECT_EQ(resets.last().attempt, 2);
}

TEST_P(QueueConformance, ReleasedClaimHasLostItsLease)
{
    await(m_client->submit(request(u"hi"_s))).value();
    const ClaimedJob job = claimOne(*m_worker);
    ASSERT_TRUE(await(m_worker->release(job)).ok());

    const QueueResult<bool> appended = await(m_worker->appendEvents(job, {textDelta(u"x"_s)}));
    const QueueResult<bool> renewed = await(m_worker->renewLease(job));
    const QueueResult<void> finished = await(m_worker->finish(job, succeededRecord(u"x"_s)));

    ASSERT_FALSE(appended.ok());
    EXPECT_EQ(appended.error().kind, QueueError::Kind::LeaseLost);
    ASSERT_FALSE(renewed.ok());
    EXPECT_EQ(renewed.error().kind, QueueError::Kind::LeaseLost);
    ASSERT_FALSE(finished.ok());
    EXPECT_EQ(finished.error().kind, QueueError::Kind::LeaseLost);
}

TEST_P(QueueConformance, SupersededAttemptHasLostItsLease)
{
    const QString id = await(m_client->submit(request(u"hi"_s))).value();
    const ClaimedJob first = claimOne(*m_worker);
    ASSERT_TRUE(await(m_worker->release(first)).ok());
    const ClaimedJob second = claimOne(*m_worker);

    const QueueResult<void> stale = await(m_worker->finish(first, succeededRecord(u"old"_s)));
    const QueueResult<void> current = await(m_worker->finish(second, succeededRecord(u"new"_s)));

    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.error().kind, QueueError::Kind::LeaseLost);
    EXPECT_TRUE(current.ok());
    EXPECT_EQ(await(m_client->record(id))->content, u"new"_s);
}

TEST_P(QueueConformance, ListJobsShowsNewestFirst)
{
    QStringList ids;
    for (const QString &prompt : {u"one"_s, u"two"_s, u"three"_s}) {
        ids.append(await(m_client->submit(request(prompt))).value());
    }

    const QueueResult<QList<JobRecord>> all = await(m_client->listJobs(10));
    const QueueResult<QList<JobRecord>> limited = await(m_client->listJobs(2));

    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 3);
    EXPECT_EQ(all->at(0).id, ids.at(2));
    EXPECT_EQ(all->at(1).id, ids.at(1));
    EXPECT_EQ(all->at(2).id, ids.at(0));
    ASSERT_TRUE(limited.ok());
    EXPECT_EQ(limited->size(), 2);
}

TEST_P(QueueConformance, UnknownJobIsNotFound)
{
    const QString unknown = u"00000000-0000-0000-0000-000000000000"_s;

    const QueueResult<JobRecord> record = await(m_client->record(unknown));
    const QueueResult<void> cancelled = await(m_client->cancel(unknown));

    ASSERT_FALSE(record.ok());
    EXPECT_EQ(record.error().kind, QueueError::Kind::NotFound);
    ASSERT_FALSE(cancelled.ok());
    EXPECT_EQ(cancelled.error().kind, QueueError::Kind::NotFound);
}
