// JobWatcher on the in-process queue: what a reader shows while a worker writes the log.

#include "tests/integration/awaittask.h"

#include "core/queue/jobqueue.h"
#include "core/queue/jobwatcher.h"

#include <gtest/gtest.h>

#include <QSignalSpy>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr int kWaitMs = 10000;

class JobWatcherTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_backend = openQueueBackend(u"memory"_s, QString()).value();
        m_client = m_backend->connect();
        m_worker = m_backend->connect();

        ChatRequest request;
        request.model = u"test-model"_s;
        m_jobId = awaitTask(m_client->submit(request)).value();
    }

    ClaimedJob claim()
    {
        const WorkerIdentity identity {u"watcher-test/1"_s, {}, 1};
        auto claimed = awaitTask(m_worker->claim(identity, 10s));
        EXPECT_TRUE(claimed.ok() && claimed->has_value());
        return claimed && claimed->has_value() ? **claimed : ClaimedJob();
    }

    void append(const ClaimedJob &job, const QString &text)
    {
        ChatDelta delta;
        delta.content = text;
        QList<JobEvent> events;
        events.append(JobEvent::makeDelta(job.attempt, delta));
        ASSERT_TRUE(awaitTask(m_worker->appendEvents(job, events)).ok());
    }

    void finish(const ClaimedJob &job, const QString &content)
    {
        JobRecord record;
        record.status = JobStatus::Succeeded;
        record.content = content;
        ASSERT_TRUE(awaitTask(m_worker->finish(job, record)).ok());
    }

    std::shared_ptr<QueueBackend> m_backend;
    std::unique_ptr<JobQueue> m_client;
    std::unique_ptr<JobQueue> m_worker;
    QString m_jobId;
};

} // namespace

TEST_F(JobWatcherTest, FollowsDeltasToTheFinalRecord)
{
    JobWatcher watcher(m_client.get(), m_jobId);
    QSignalSpy deltas(&watcher, &JobWatcher::deltaReceived);
    QSignalSpy finished(&watcher, &JobWatcher::finished);
    watcher.start();
    const ClaimedJob job = claim();

    append(job, u"Hello, "_s);
    append(job, u"world"_s);
    finish(job, u"Hello, world"_s);
    const bool ended = finished.wait(kWaitMs);

    ASSERT_TRUE(ended);
    EXPECT_EQ(deltas.size(), 2);
    EXPECT_EQ(watcher.reply().content, u"Hello, world"_s);
    const JobRecord record = finished.first().first().value<JobRecord>();
    EXPECT_EQ(record.status, JobStatus::Succeeded);
    EXPECT_EQ(record.content, u"Hello, world"_s);
}

TEST_F(JobWatcherTest, DiscardsTextOfSupersededAttempt)
{
    const ClaimedJob first = claim();
    append(first, u"old text"_s);
    ASSERT_TRUE(awaitTask(m_worker->release(first)).ok());
    const ClaimedJob second = claim();
    append(second, u"new text"_s);
    finish(second, u"new text"_s);
    JobWatcher watcher(m_client.get(), m_jobId);
    QSignalSpy resets(&watcher, &JobWatcher::resetReceived);
    QSignalSpy finished(&watcher, &JobWatcher::finished);

    watcher.start();
    const bool ended = !finished.isEmpty() || finished.wait(kWaitMs);

    ASSERT_TRUE(ended);
    ASSERT_FALSE(resets.isEmpty());
    EXPECT_EQ(resets.last().first().toInt(), 2);
    EXPECT_EQ(watcher.reply().content, u"new text"_s);
}

TEST_F(JobWatcherTest, ContinuesFromLastEventId)
{
    const ClaimedJob job = claim();
    append(job, u"seen "_s);
    const QString seen = awaitTask(m_client->readEvents(m_jobId, QString(), 1s)).value().last().id;
    append(job, u"unseen"_s);
    finish(job, u"seen unseen"_s);
    JobWatcher watcher(m_client.get(), m_jobId, seen);
    QSignalSpy finished(&watcher, &JobWatcher::finished);

    watcher.start();
    const bool ended = !finished.isEmpty() || finished.wait(kWaitMs);

    ASSERT_TRUE(ended);
    EXPECT_EQ(watcher.reply().content, u"unseen"_s);
    EXPECT_FALSE(watcher.lastEventId().isEmpty());
    EXPECT_NE(watcher.lastEventId(), seen);
}

TEST_F(JobWatcherTest, DeletedWhileWaitingDoesNotTouchItself)
{
    auto watcher = std::make_unique<JobWatcher>(m_client.get(), m_jobId);
    watcher->start();
    const ClaimedJob job = claim();

    watcher.reset();
    append(job, u"after the watcher left"_s);
    JobWatcher survivor(m_client.get(), m_jobId);
    QSignalSpy deltas(&survivor, &JobWatcher::deltaReceived);
    survivor.start();
    const bool delivered = !deltas.isEmpty() || deltas.wait(kWaitMs);

    ASSERT_TRUE(delivered);
    EXPECT_EQ(survivor.reply().content, u"after the watcher left"_s);
}

TEST_F(JobWatcherTest, StoppedWatcherReportsNothingMore)
{
    JobWatcher watcher(m_client.get(), m_jobId);
    QSignalSpy deltas(&watcher, &JobWatcher::deltaReceived);
    watcher.start();
    const ClaimedJob job = claim();

    watcher.stop();
    append(job, u"ignored"_s);
    JobWatcher other(m_client.get(), m_jobId);
    QSignalSpy otherDeltas(&other, &JobWatcher::deltaReceived);
    other.start();
    ASSERT_TRUE(!otherDeltas.isEmpty() || otherDeltas.wait(kWaitMs));

    EXPECT_TRUE(deltas.isEmpty());
}

TEST_F(JobWatcherTest, UnknownJobReportsQueueError)
{
    JobWatcher watcher(m_client.get(), u"no-such-job"_s);
    QSignalSpy failed(&watcher, &JobWatcher::queueFailed);

    watcher.start();
    const bool reported = !failed.isEmpty() || failed.wait(kWaitMs);

    ASSERT_TRUE(reported);
    EXPECT_EQ(failed.first().first().value<QueueError>().kind, QueueError::Kind::NotFound);
}
