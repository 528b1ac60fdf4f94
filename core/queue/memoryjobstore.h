#pragma once

#include "core/chat/chatreply.h"
#include "core/queue/jobqueue.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QSet>
#include <QString>

#include <deque>
#include <memory>
#include <optional>

class JobPersistence;
class MemoryNotifier;

// The jobs of the in-process queue, shared by every thread of the process: requests waiting
// for a worker, the event log and record of each job, the leases of running ones.
// Thread-safe; every call takes one mutex for a short, non-blocking step. Waiting is not
// done here: a JobQueue handle registers its notifier with watch() and re-checks when woken.
//
// Event ids are the 1-based position in the job's log as a decimal string.
// At most kKeepFinished finished jobs stay in memory (and in the file); older ones are
// forgotten and then read as NotFound.
class MemoryJobStore
{
public:
    static constexpr int kKeepFinished = 1000;

    // The store of `dataDir`, persisted to `dataDir`/queue.sqlite, or one that is not
    // persisted when `dataDir` is empty. Opening a folder already open in this process
    // returns the same store, so the window and a console command share their jobs.
    static Result<std::shared_ptr<MemoryJobStore>, QueueError> open(const QString &dataDir);

    ~MemoryJobStore();

    QString dataDir() const { return m_dataDir; }

    // Handles register their notifier for the life of the handle (cancel requests reach
    // every handle) and for each wait with the key they wait on: a job id for its events,
    // an empty key for new jobs to claim.
    void attach(MemoryNotifier *notifier);
    void detach(MemoryNotifier *notifier);
    void watch(const QString &key, MemoryNotifier *notifier);
    void unwatch(const QString &key, MemoryNotifier *notifier);

    QueueResult<QString> submit(ChatRequest request);
    QueueResult<QList<JobEvent>> eventsAfter(const QString &jobId, const QString &afterEventId);
    QueueResult<JobRecord> record(const QString &jobId) const;
    QList<JobRecord> listJobs(int limit) const;
    QueueResult<void> cancel(const QString &jobId);

    std::optional<ClaimedJob> tryClaim(const WorkerIdentity &worker);
    QueueResult<bool> append(const ClaimedJob &job, QList<JobEvent> events);
    QueueResult<bool> renew(const ClaimedJob &job);
    QueueResult<void> finish(const ClaimedJob &job, JobRecord record);
    QueueResult<void> release(const ClaimedJob &job);

private:
    struct Job
    {
        JobRecord record;
        QList<JobEvent> events;
        ChatReply reply; // what the running attempt's deltas add up to, for record()
        QString receipt; // of the running attempt; empty while queued or finished
        bool cancelRequested = false;
        bool progressed = false; // the running attempt wrote events
        quint64 seq = 0;         // submission order
    };

    explicit MemoryJobStore(QString dataDir);

    void restore(const QList<JobRecord> &records);

    // The job `job` holds a lease on, or LeaseLost / NotFound. Call with the mutex held.
    QueueResult<Job *> leasedJob(const ClaimedJob &job);

    void appendEvent(const QString &jobId, Job &job, JobEvent event);
    void endJob(const QString &jobId, Job &job, JobStatus status, std::optional<ChatError> error);
    void enqueue(const QString &jobId, const Job &job);
    void wake(const QString &key);
    void save(const Job &job);

    QString m_dataDir;
    std::unique_ptr<JobPersistence> m_persistence;

    mutable QMutex m_mutex;
    QHash<QString, Job> m_jobs;
    std::deque<QString> m_pending;  // queued job ids, oldest first
    std::deque<QString> m_finished; // finished job ids, in the order they ended
    quint64 m_nextSeq = 1;
    QSet<MemoryNotifier *> m_notifiers;
    QHash<QString, QHash<MemoryNotifier *, int>> m_watchers;
};
