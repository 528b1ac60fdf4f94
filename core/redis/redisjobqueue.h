#pragma once

#include "core/queue/jobqueue.h"
#include "core/redis/redisconnection.h"
#include "core/redis/redisscripts.h"
#include "core/redis/redisurl.h"

#include <QHash>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <memory>

// One thread's handle on the Redis queue (wire format v1, docs/wire-format.md).
//
// It keeps one connection for ordinary commands and opens more for blocking reads (XREAD and
// XREADGROUP with BLOCK hold their connection), reusing them as they come back. Every step
// that must not interleave with another worker's — claim, append with its lease check,
// finish, release, cancel — is one Lua script.
//
// Leases: a claimed job's hash holds `lease_until` (server time) and its queue entry stays
// pending in the consumer group. Each append or renewal moves `lease_until` forward and
// resets the entry's idle time with XCLAIM … JUSTID to the same worker, so XPENDING … IDLE
// <lease> lists only entries whose worker stopped renewing. Another worker's claim() takes
// those over: the attempt number goes up, `reset` is written, and the old worker's next
// append fails with LeaseLost because the script compares attempt numbers.
//
// Worker-side writes (append, renew, finish, release) retry by themselves while Redis is
// unreachable, for up to one lease; an append carries a batch id so that a retry after a
// lost reply never writes its events twice.
class RedisJobQueue : public JobQueue
{
    Q_OBJECT

public:
    explicit RedisJobQueue(RedisUrl url, QObject *parent = nullptr);
    ~RedisJobQueue() override;

    QCoro::Task<QueueResult<QString>> submit(ChatRequest request) override;
    QCoro::Task<QueueResult<QList<JobEvent>>>
    readEvents(QString jobId, QString afterEventId, std::chrono::milliseconds wait) override;
    QCoro::Task<QueueResult<JobRecord>> record(QString jobId) override;
    QCoro::Task<QueueResult<QList<JobRecord>>> listJobs(int limit) override;
    QCoro::Task<QueueResult<void>> cancel(QString jobId) override;

    QCoro::Task<QueueResult<std::optional<ClaimedJob>>>
    claim(WorkerIdentity worker, std::chrono::milliseconds wait) override;
    QCoro::Task<QueueResult<bool>> appendEvents(ClaimedJob job, QList<JobEvent> events) override;
    QCoro::Task<QueueResult<bool>> renewLease(ClaimedJob job) override;
    QCoro::Task<QueueResult<void>> finish(ClaimedJob job, JobRecord record) override;
    QCoro::Task<QueueResult<void>> release(ClaimedJob job) override;
    QCoro::Task<QueueResult<QList<WorkerStatus>>> listWorkers() override;
    QCoro::Task<QueueResult<void>>
    setProfileLimits(QString profile, int maxConcurrent, int maxPerMinute) override;

    // The largest queue entry a worker accepts; bigger ones go to the dead-letter stream.
    static constexpr qsizetype kMaxEntryBytes = 1024 * 1024;

private:
    struct Entry
    {
        QString queue;
        QByteArray id;
        QByteArray payload; // the `job` field
    };

    QByteArray key(const QString &suffix) const;
    QByteArray jobKey(const QString &jobId, const char *suffix = "") const;
    QByteArray queueKey(const QString &queue) const;

    QCoro::Task<RedisResult>
    runScript(const RedisScript &script, QList<QByteArray> keys, QList<QByteArray> args);
    QCoro::Task<RedisResult>
    runScriptRetrying(const RedisScript &script, QList<QByteArray> keys, QList<QByteArray> args);
    QCoro::Task<RedisResult> blockingCommand(QList<QByteArray> argv,
                                             std::chrono::milliseconds block);

    QCoro::Task<QueueResult<QStringList>> servedQueues(const WorkerIdentity &worker);
    QCoro::Task<QueueResult<void>> ensureGroups(const QStringList &queues);
    QCoro::Task<QueueResult<std::optional<ClaimedJob>>> reclaimExpired(const WorkerIdentity &worker,
                                                                       const QStringList &queues);
    QCoro::Task<QueueResult<std::optional<ClaimedJob>>>
    take(const WorkerIdentity &worker, Entry entry, bool reclaim);
    QCoro::Task<QueueResult<bool>> appendBatch(const ClaimedJob &job, QList<JobEvent> events);

    void startHeartbeat(const WorkerIdentity &worker);
    QCoro::Task<void> beat();

    RedisUrl m_url;
    RedisConnection *m_connection;
    QList<RedisConnection *> m_idleBlocking;
    QSet<QString> m_groupsReady;
    std::chrono::steady_clock::time_point m_nextReclaimScan;
    QHash<QString, std::chrono::steady_clock::time_point> m_limitedUntil;
    QList<Entry> m_backlog;

    std::optional<WorkerIdentity> m_worker;
    QSet<QString> m_running;
    QTimer m_heartbeat;

    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};
