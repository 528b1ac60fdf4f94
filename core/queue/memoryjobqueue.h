#pragma once

#include "core/queue/jobqueue.h"

#include <memory>

class MemoryJobStore;
class MemoryNotifier;

// One thread's handle on the in-process queue. Calls return at once except those with a
// `wait`, which suspend the calling coroutine (never the thread) until the shared store
// wakes this handle or the wait runs out. Destroying the handle ends its pending waits with
// an Unavailable error.
class MemoryJobQueue : public JobQueue
{
    Q_OBJECT

public:
    explicit MemoryJobQueue(std::shared_ptr<MemoryJobStore> store, QObject *parent = nullptr);
    ~MemoryJobQueue() override;

    QCoro::Task<QueueResult<QString>> submit(ChatRequest request) override;
    QCoro::Task<QueueResult<QList<JobEvent>>> readEvents(QString jobId,
                                                           QString afterEventId,
                                                           std::chrono::milliseconds wait) override;
    QCoro::Task<QueueResult<JobRecord>> record(QString jobId) override;
    QCoro::Task<QueueResult<QList<JobRecord>>> listJobs(int limit) override;
    QCoro::Task<QueueResult<void>> cancel(QString jobId) override;

    QCoro::Task<QueueResult<std::optional<ClaimedJob>>> claim(
            WorkerIdentity worker, std::chrono::milliseconds wait) override;
    QCoro::Task<QueueResult<bool>> appendEvents(ClaimedJob job, QList<JobEvent> events) override;
    QCoro::Task<QueueResult<bool>> renewLease(ClaimedJob job) override;
    QCoro::Task<QueueResult<void>> finish(ClaimedJob job, JobRecord record) override;
    QCoro::Task<QueueResult<void>> release(ClaimedJob job) override;

private:
    std::shared_ptr<MemoryJobStore> m_store;
    MemoryNotifier *m_notifier;
};
