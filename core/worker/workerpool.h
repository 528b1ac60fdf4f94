#pragma once

#include <QCoroTask>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

class QueueBackend;
class ProfileRegistry;

struct WorkerPoolOptions
{
    int threads = 2;          // worker threads, each with its own event loop and network
    int streamsPerThread = 8; // jobs one thread streams at once
    std::chrono::milliseconds flushInterval {20}; // deltas are coalesced for this long…
    int flushBytes = 4096;                        // …or until this much text is pending
    QString workerName;       // prefix of worker ids in job records; default host:pid
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

Q_SIGNALS:
    // Lifecycle, for logs and the queue view: claimed, first token, done, failed, reclaimed.
    void jobEvent(const QString &jobId, const QString &what);
};
