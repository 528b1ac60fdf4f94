#pragma once

#include "core/queue/jobqueue.h"
#include "core/worker/workerpool.h"

#include <QHash>
#include <QObject>

#include <atomic>
#include <chrono>
#include <memory>

class JobRun;
class ProfileRegistry;
class NetworkPool;
class QTimer;

// One worker thread's worth of work: a queue connection and a network manager of its own,
// a claim loop that keeps up to `streamsPerThread` jobs streaming at once, and for each job
// a stream whose coalesced deltas go to the job's event log. Lives in, and must be created
// in, the thread that runs it; that thread needs an event loop.
class QueueWorker : public QObject
{
    Q_OBJECT

public:
    QueueWorker(std::shared_ptr<QueueBackend> backend,
                std::shared_ptr<ProfileRegistry> profiles,
                WorkerPoolOptions options,
                QString id,
                QObject *parent = nullptr);
    ~QueueWorker() override;

    QString id() const { return m_id; }

    void start();

    // A flag the pool raises, from any thread, as soon as it starts stopping: a job claimed
    // after that goes straight back, even before this worker's own stop() has run.
    void setStopFlag(std::shared_ptr<const std::atomic_bool> flag)
    {
        m_poolStopping = std::move(flag);
    }

    // Stops claiming; running jobs may finish within `grace`, then are handed back.
    // Calling it again with a shorter grace shortens the wait. Emits stopped() when no job
    // is left and the claim loop has ended.
    void stop(std::chrono::milliseconds grace);

Q_SIGNALS:
    void stopped();
    void jobEvent(const QString &jobId, const QString &what);

    // A job ended or the worker is stopping: the claim loop may go on.
    void capacityChanged();

private:
    QCoro::Task<void> claimLoop();
    QCoro::Task<void> runJob(ClaimedJob job);
    QCoro::Task<void> streamJob(JobRun *run);
    QCoro::Task<void> writeEvents(JobRun *run);
    QCoro::Task<void> endJob(JobRun *run, JobRecord record);

    WorkerIdentity identity() const;
    void onCancelRequested(const QString &jobId);
    void handBackAll();
    void checkStopped();
    bool isStopping() const { return m_stopping || (m_poolStopping && *m_poolStopping); }
    void report(const QString &jobId, const QString &what);

    std::shared_ptr<QueueBackend> m_backend;
    std::shared_ptr<ProfileRegistry> m_profiles;
    WorkerPoolOptions m_options;
    QString m_id;

    std::unique_ptr<JobQueue> m_queue;
    NetworkPool *m_network; // one manager per six streams: Qt's connections per host
    QTimer *m_graceTimer;
    QHash<QString, JobRun *> m_runs;
    std::shared_ptr<const std::atomic_bool> m_poolStopping;

    bool m_started = false;
    bool m_stopping = false;
    bool m_claimLoopDone = true;
    bool m_stoppedReported = false;
};
