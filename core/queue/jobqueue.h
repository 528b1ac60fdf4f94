#pragma once

#include "core/chat/chatrequest.h"
#include "core/queue/jobevent.h"
#include "core/queue/jobrecord.h"
#include "core/queue/queueerror.h"
#include "core/util/result.h"

#include <QCoroTask>

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>
#include <optional>

template <typename T>
using QueueResult = Result<T, QueueError>;

// A job a worker holds: its request and the attempt it is running. `receipt` is the
// backend's own handle on the claim (a stream entry id, a lease token).
struct ClaimedJob
{
    QString jobId;
    ChatRequest request;
    int attempt = 1;
    QString receipt;
};

// A live worker as its last heartbeat described it.
struct WorkerStatus
{
    QString id;
    QStringList profiles;
    int concurrency = 0;
    QStringList runningJobs;
    qint64 lastBeatAtMs = 0; // milliseconds since the Unix epoch
};

// Who claims: a worker id and the profiles it can serve (empty = any profile).
struct WorkerIdentity
{
    QString id;
    QStringList profiles;
    int concurrency = 1;
};

// One connection to a queue backend, used from the thread that created it and never
// shared across threads. Every call is asynchronous and never blocks its thread; calls with
// a `wait` return early as soon as there is something to return.
class JobQueue : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~JobQueue() override = default;

    // Clients

    // Queues a request; returns the new job's id at once.
    virtual QCoro::Task<QueueResult<QString>> submit(ChatRequest request) = 0;

    // Events of a job after `afterEventId` (empty: from the start), waiting up to `wait`
    // for at least one. An empty list means nothing new arrived in time.
    virtual QCoro::Task<QueueResult<QList<JobEvent>>>
    readEvents(QString jobId, QString afterEventId, std::chrono::milliseconds wait) = 0;

    virtual QCoro::Task<QueueResult<JobRecord>> record(QString jobId) = 0;

    // Newest first, at most `limit`.
    virtual QCoro::Task<QueueResult<QList<JobRecord>>> listJobs(int limit) = 0;

    // Asks for cancellation. A queued job ends cancelled at once; a running one within one
    // flush interval, keeping its partial answer.
    virtual QCoro::Task<QueueResult<void>> cancel(QString jobId) = 0;

    // Workers

    // Takes the next job this worker can serve, waiting up to `wait`. nullopt: none came.
    virtual QCoro::Task<QueueResult<std::optional<ClaimedJob>>>
    claim(WorkerIdentity worker, std::chrono::milliseconds wait) = 0;

    // Appends events of the attempt `job` runs and extends its lease. Returns true when
    // cancellation was requested; fails with LeaseLost when another worker took the job.
    virtual QCoro::Task<QueueResult<bool>> appendEvents(ClaimedJob job, QList<JobEvent> events) = 0;

    // Extends the lease without writing events. Same return as appendEvents().
    virtual QCoro::Task<QueueResult<bool>> renewLease(ClaimedJob job) = 0;

    // Stores the final record and appends the `done` event; the job leaves the queue.
    virtual QCoro::Task<QueueResult<void>> finish(ClaimedJob job, JobRecord record) = 0;

    // Gives a job back unfinished (the worker is stopping); another worker starts it over.
    virtual QCoro::Task<QueueResult<void>> release(ClaimedJob job) = 0;

    // Workers that sent a heartbeat recently. Backends without shared workers return none.
    virtual QCoro::Task<QueueResult<QList<WorkerStatus>>> listWorkers()
    {
        co_return QList<WorkerStatus>();
    }

    // Publishes a profile's shared limits where every worker's claims read them; a limit of
    // 0 leaves whatever is set in place. Backends without shared limits ignore the call.
    virtual QCoro::Task<QueueResult<void>>
    setProfileLimits(QString profile, int maxConcurrent, int maxPerMinute)
    {
        Q_UNUSED(profile);
        Q_UNUSED(maxConcurrent);
        Q_UNUSED(maxPerMinute);
        co_return {};
    }

Q_SIGNALS:
    // Emitted when this connection learns that a running job should stop; a worker
    // streaming it aborts at once. Backends that cannot push this report it through
    // appendEvents() and renewLease() instead.
    void cancelRequested(const QString &jobId);
};

// Opens JobQueue connections, one per thread. Thread-safe; shared by every thread that
// talks to the same queue.
class QueueBackend
{
public:
    virtual ~QueueBackend() = default;

    // A short description for logs and `chatq`, without any password.
    virtual QString describe() const = 0;

    virtual std::unique_ptr<JobQueue> connect(QObject *parent = nullptr) = 0;
};

// Opens the backend a queue URL names: "memory" (the in-process default, persisted under
// `dataDir`), or "redis://…" / "rediss://…".
Result<std::shared_ptr<QueueBackend>, QueueError> openQueueBackend(const QString &url,
                                                                   const QString &dataDir);
