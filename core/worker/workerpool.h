#pragma once

#include <QCoroTask>
#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <chrono>
#include <memory>

class QueueBackend;
class ProfileRegistry;
class QThreadPool;
struct WorkerSlot;

struct WorkerPoolOptions
{
    int threads = 2;          // worker threads, each with its own event loop and network
    int streamsPerThread = 8; // jobs one thread streams at once
    std::chrono::milliseconds flushInterval {20}; // deltas are coalesced for this long…
    int flushBytes = 4096;                        // …or until this much text is pending
    QString workerName;       // prefix of worker ids in job records; default host:pid

    // True: claim every job, and fail one whose profile is not in the registry with a
    // `not_found` error (the in-process queue, where no other worker could serve it).
    // False: claim only jobs of registered profiles, so others wait visibly for a worker
    // that serves them (a shared queue).
    bool serveAnyProfile = true;

    // A job that streams nothing for this long still renews its lease.
    std::chrono::milliseconds leaseRenewInterval {std::chrono::seconds(10)};
};

// Claims jobs from a queue and streams them, on a dedicated pool of threads. Every job it
// claims ends in a final record, or is handed back when the pool stops.
class WorkerPool : public QObject
{
    Q_OBJECT

public:
    WorkerPool(std::shared_ptr<QueueBackend> backend,
               std::shared_ptr<ProfileRegistry> profiles,
               WorkerPoolOptions options = {},
               QObject *parent = nullptr);
    ~WorkerPool() override; // stops at once, handing running jobs back

    void start();

    // Stops claiming, lets running jobs finish for up to `grace`, then hands the rest back.
    QCoro::Task<void> stop(std::chrono::milliseconds grace);

    // Whether worker threads are running (started and not yet all stopped).
    bool isRunning() const { return m_liveThreads > 0; }

Q_SIGNALS:
    // Lifecycle, for logs and the queue view: claimed, first token, done, failed, cancelled,
    // reclaimed, handed back.
    void jobEvent(const QString &jobId, const QString &what);

    // Every worker thread has ended after stop().
    void stopped();

private:
    friend class WorkerRunnable;

    void onThreadDone();

    std::shared_ptr<QueueBackend> m_backend;
    std::shared_ptr<ProfileRegistry> m_profiles;
    WorkerPoolOptions m_options;
    std::unique_ptr<QThreadPool> m_threads;
    QList<std::shared_ptr<WorkerSlot>> m_slots;
    std::shared_ptr<std::atomic_bool> m_stopping = std::make_shared<std::atomic_bool>(false);
    int m_liveThreads = 0;
};
