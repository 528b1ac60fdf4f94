#include "core/redis/redisjobqueue.h"

#include <QDateTime>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUuid>

#include <algorithm>
#include <atomic>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr qsizetype kMaxDeadPayloadBytes = 64 * 1024;
constexpr int kEventsPerRead = 1000;
constexpr std::chrono::seconds kHeartbeatInterval{5};

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray compact(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

QByteArray number(qint64 value)
{
    return QByteArray::number(value);
}

// Job ids sort by creation time (a UUID version 7 layout), so jobs submitted in the same
// millisecond by this process still list in order.
QString newJobId()
{
    static std::atomic<quint64> last{0};
    const quint64 stamp = quint64(nowMs()) << 12;
    quint64 previous = last.load();
    quint64 next = 0;
    do {
        next = std::max(stamp, previous + 1);
    } while (!last.compare_exchange_weak(previous, next));

    QByteArray bytes = QUuid::createUuid().toRfc4122();
    const quint64 millis = next >> 12;
    const quint16 sequence = quint16(next & 0xfff);
    for (int i = 0; i < 6; ++i) {
        bytes[i] = char((millis >> (8 * (5 - i))) & 0xff);
    }
    bytes[6] = char(0x70 | ((sequence >> 8) & 0x0f));
    bytes[7] = char(sequence & 0xff);
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
}

bool isValidJobId(const QString &id)
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9_.:-]{1,128}$"_s);
    return pattern.match(id).hasMatch();
}

QueueError toQueueError(const RedisError &error)
{
    if (error.kind == RedisError::Kind::Reply) {
        if (error.message.startsWith(u"LEASELOST"_s)) {
            return QueueError::make(QueueError::Kind::LeaseLost, error.message.mid(10));
        }
        if (error.message.startsWith(u"NOTFOUND"_s)) {
            return QueueError::make(QueueError::Kind::NotFound, error.message.mid(9));
        }
        return QueueError::make(QueueError::Kind::Unavailable,
                                u"Redis refused a queue command: "_s + error.message);
    }
    return QueueError::make(QueueError::Kind::Unavailable, error.message);
}

// Field/value pairs of a stream entry or HGETALL reply as a map.
QHash<QByteArray, QByteArray> pairs(const RedisReply &reply)
{
    QHash<QByteArray, QByteArray> map;
    for (qsizetype i = 0; i + 1 < reply.elements.size(); i += 2) {
        map.insert(reply.elements[i].string, reply.elements[i + 1].string);
    }
    return map;
}

QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

JobRecord recordFromHash(const QHash<QByteArray, QByteArray> &hash)
{
    JobRecord record;
    record.id = QString::fromUtf8(hash.value("id"));
    record.status =
            jobStatusFromName(QString::fromUtf8(hash.value("status"))).value_or(JobStatus::Queued);
    record.request = ChatRequest::fromJson(parseObject(hash.value("request")));
    record.attempts = hash.value("attempts").toInt();
    record.worker = QString::fromUtf8(hash.value("worker"));
    record.content = QString::fromUtf8(hash.value("content"));
    record.reasoning = QString::fromUtf8(hash.value("reasoning"));
    record.finishReason = QString::fromUtf8(hash.value("finish_reason"));
    if (!hash.value("usage").isEmpty()) {
        record.usage = Usage::fromJson(parseObject(hash.value("usage")));
    }
    if (!hash.value("tool_calls").isEmpty()) {
        record.toolCalls =
                toolCallsFromJson(QJsonDocument::fromJson(hash.value("tool_calls")).array());
    }
    if (!hash.value("error").isEmpty()) {
        record.error = chatErrorFromJson(parseObject(hash.value("error")));
    }
    record.submittedAtMs = hash.value("submitted_at").toLongLong();
    record.startedAtMs = hash.value("started_at").toLongLong();
    record.firstTokenAtMs = hash.value("first_token_at").toLongLong();
    record.firstContentAtMs = hash.value("first_content_at").toLongLong();
    record.finishedAtMs = hash.value("finished_at").toLongLong();
    return record;
}

// Events from an XREAD reply: [[key, [[id, [field, value, …]], …]]].
QList<JobEvent> eventsFromReply(const RedisReply &reply)
{
    QList<JobEvent> events;
    for (const RedisReply &stream : reply.elements) {
        if (stream.elements.size() < 2) {
            continue;
        }
        for (const RedisReply &entry : stream.elements[1].elements) {
            if (entry.elements.size() < 2) {
                continue;
            }
            const QByteArray payload = pairs(entry.elements[1]).value("event");
            std::optional<JobEvent> event = JobEvent::fromJson(parseObject(payload));
            if (!event) {
                qCWarning(lcRedis) << "skipping an unreadable event" << entry.elements[0].string;
                continue;
            }
            event->id = QString::fromUtf8(entry.elements[0].string);
            events.append(std::move(*event));
        }
    }
    return events;
}

QString receiptFor(const QString &queue, const QByteArray &entry)
{
    return QString::fromUtf8(
            compact(QJsonObject{{u"queue"_s, queue}, {u"entry"_s, QString::fromUtf8(entry)}}));
}

QString queueOfReceipt(const ClaimedJob &job)
{
    const QString queue = parseObject(job.receipt.toUtf8()).value(u"queue"_s).toString();
    return queue.isEmpty() ? job.request.profile : queue;
}

bool hasAnswerText(const QList<JobEvent> &events)
{
    return std::any_of(events.begin(), events.end(), [](const JobEvent &event) {
        return event.type == JobEvent::Type::Delta
               && (!event.delta.content.isEmpty() || !event.delta.reasoning.isEmpty()
                   || !event.delta.toolCallFragments.isEmpty());
    });
}

} // namespace

RedisJobQueue::RedisJobQueue(RedisUrl url, QObject *parent)
    : JobQueue(parent)
    , m_url(std::move(url))
    , m_connection(new RedisConnection(m_url, this))
{
    m_heartbeat.setInterval(kHeartbeatInterval);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] { beat(); });
}

RedisJobQueue::~RedisJobQueue()
{
    *m_alive = false;
}

QByteArray RedisJobQueue::key(const QString &suffix) const
{
    return m_url.prefix + suffix.toUtf8();
}

QByteArray RedisJobQueue::jobKey(const QString &jobId, const char *suffix) const
{
    return m_url.prefix + "job:{" + jobId.toUtf8() + '}' + suffix;
}

QByteArray RedisJobQueue::queueKey(const QString &queue) const
{
    return m_url.prefix + "queue:" + queue.toUtf8();
}

// Clients

QCoro::Task<QueueResult<QString>> RedisJobQueue::submit(ChatRequest request)
{
    const QString id = newJobId();
    const qint64 submittedAt = nowMs();
    const QJsonObject requestJson = request.toJson();
    const QJsonObject entry{
            {u"v"_s, 1},
            {u"id"_s, id},
            {u"request"_s, requestJson},
            {u"submitted_at"_s, submittedAt},
    };
    const QJsonObject queued = JobEvent::makeStatus(0, JobStatus::Queued).toJson();

    const QList<QByteArray> keys{jobKey(id),
                                 jobKey(id, ":events"),
                                 queueKey(request.profile),
                                 key(u"jobs"_s),
                                 key(u"queues"_s)};
    const QList<QByteArray> args{id.toUtf8(),
                                 request.profile.toUtf8(),
                                 compact(requestJson),
                                 compact(entry),
                                 number(submittedAt),
                                 compact(queued)};
    const RedisResult reply = co_await runScript(redisscripts::submit(), keys, args);
    if (!reply) {
        co_return toQueueError(reply.error());
    }
    co_return id;
}

QCoro::Task<QueueResult<QList<JobEvent>>>
RedisJobQueue::readEvents(QString jobId, QString afterEventId, std::chrono::milliseconds wait)
{
    const std::shared_ptr<bool> alive = m_alive;
    const QByteArray events = jobKey(jobId, ":events");
    const QByteArray from = afterEventId.isEmpty() ? QByteArray("0-0") : afterEventId.toUtf8();

    // What is there now, and whether the job exists, in one round trip.
    auto reading = m_connection->command(
            {"XREAD", "COUNT", number(kEventsPerRead), "STREAMS", events, from});
    auto existing = m_connection->command({"EXISTS", jobKey(jobId)});
    const RedisResult now = co_await reading;
    const RedisResult exists = co_await existing;
    if (!now) {
        co_return toQueueError(now.error());
    }
    QList<JobEvent> found = eventsFromReply(*now);
    if (!found.isEmpty() || !*alive) {
        co_return found;
    }
    if (exists && exists->integer == 0) {
        co_return QueueError::make(QueueError::Kind::NotFound, u"no job "_s + jobId);
    }
    if (wait < 1ms) {
        co_return found;
    }

    // Nothing yet: wait on a connection of its own.
    const QList<QByteArray> argv{"XREAD",
                                 "COUNT",
                                 number(kEventsPerRead),
                                 "BLOCK",
                                 number(wait.count()),
                                 "STREAMS",
                                 events,
                                 from};
    const RedisResult later = co_await blockingCommand(argv, wait);
    if (!later) {
        co_return toQueueError(later.error());
    }
    co_return eventsFromReply(*later);
}

QCoro::Task<QueueResult<JobRecord>> RedisJobQueue::record(QString jobId)
{
    const QList<QByteArray> argv{"HGETALL", jobKey(jobId)};
    const RedisResult reply = co_await m_connection->command(argv);
    if (!reply) {
        co_return toQueueError(reply.error());
    }
    if (reply->elements.isEmpty()) {
        co_return QueueError::make(QueueError::Kind::NotFound, u"no job "_s + jobId);
    }
    JobRecord result = recordFromHash(pairs(*reply));
    result.id = jobId;
    co_return result;
}

QCoro::Task<QueueResult<QList<JobRecord>>> RedisJobQueue::listJobs(int limit)
{
    const std::shared_ptr<bool> alive = m_alive;
    const QList<QByteArray> argv{"ZREVRANGE", key(u"jobs"_s), "0", number(std::max(1, limit) - 1)};
    const RedisResult ids = co_await m_connection->command(argv);
    if (!ids) {
        co_return toQueueError(ids.error());
    }
    if (!*alive) {
        co_return QueueError::make(QueueError::Kind::Unavailable, u"the queue was closed"_s);
    }

    // One pipelined HGETALL per job; ids whose job expired leave the index.
    std::vector<QCoro::Task<RedisResult>> reads;
    for (const RedisReply &id : ids->elements) {
        reads.push_back(m_connection->command({"HGETALL", jobKey(id.toString())}));
    }
    QList<JobRecord> records;
    QList<QByteArray> expired;
    for (qsizetype i = 0; i < qsizetype(reads.size()); ++i) {
        const RedisResult hash = co_await reads[size_t(i)];
        if (!hash) {
            co_return toQueueError(hash.error());
        }
        if (hash->elements.isEmpty()) {
            expired.append(ids->elements[i].string);
            continue;
        }
        JobRecord record = recordFromHash(pairs(*hash));
        record.id = ids->elements[i].toString();
        records.append(std::move(record));
    }
    if (!expired.isEmpty() && *alive) {
        const QList<QByteArray> forget = QList<QByteArray>{"ZREM", key(u"jobs"_s)} + expired;
        co_await m_connection->command(forget);
    }
    co_return records;
}

QCoro::Task<QueueResult<void>> RedisJobQueue::cancel(QString jobId)
{
    const std::shared_ptr<bool> alive = m_alive;
    const QList<QByteArray> argv{"HGET", jobKey(jobId), "queue"};
    const RedisResult queue = co_await m_connection->command(argv);
    if (!queue) {
        co_return toQueueError(queue.error());
    }
    if (queue->isNil()) {
        co_return QueueError::make(QueueError::Kind::NotFound, u"no job "_s + jobId);
    }
    if (!*alive) {
        co_return QueueError::make(QueueError::Kind::Unavailable, u"the queue was closed"_s);
    }

    const QList<QByteArray> keys{jobKey(jobId),
                                 jobKey(jobId, ":events"),
                                 jobKey(jobId, ":cancel"),
                                 queueKey(queue->toString())};
    const QList<QByteArray> args{number(m_url.ttl.count())};
    const RedisResult reply = co_await runScript(redisscripts::cancel(), keys, args);
    if (!reply) {
        co_return toQueueError(reply.error());
    }
    co_return {};
}

// Workers

QCoro::Task<QueueResult<std::optional<ClaimedJob>>>
RedisJobQueue::claim(WorkerIdentity worker, std::chrono::milliseconds wait)
{
    const std::shared_ptr<bool> alive = m_alive;
    startHeartbeat(worker);
    const auto deadline = std::chrono::steady_clock::now() + wait;
    const std::chrono::milliseconds scanInterval = std::clamp(m_url.lease / 4,
                                                              std::chrono::milliseconds(100),
                                                              std::chrono::milliseconds(5000));

    for (;;) {
        // Entries already delivered to this worker by an earlier read.
        while (!m_backlog.isEmpty()) {
            QueueResult<std::optional<ClaimedJob>> taken =
                    co_await take(worker, m_backlog.takeFirst(), false);
            if (!*alive || !taken || taken->has_value()) {
                co_return taken;
            }
        }

        const QueueResult<QStringList> queues = co_await servedQueues(worker);
        if (!*alive) {
            co_return std::optional<ClaimedJob>();
        }
        if (!queues) {
            co_return queues.error();
        }

        // Jobs whose worker stopped renewing come first: they have waited longest.
        if (!queues->isEmpty() && std::chrono::steady_clock::now() >= m_nextReclaimScan) {
            m_nextReclaimScan = std::chrono::steady_clock::now() + scanInterval;
            QueueResult<std::optional<ClaimedJob>> reclaimed =
                    co_await reclaimExpired(worker, *queues);
            if (!*alive || !reclaimed || reclaimed->has_value()) {
                co_return reclaimed;
            }
        }

        // Queues at their shared limits sit out until the limits allow a request again.
        const auto now = std::chrono::steady_clock::now();
        QStringList open;
        auto nextOpening = now + scanInterval;
        for (const QString &queue : *queues) {
            const auto until = m_limitedUntil.value(queue, now);
            if (until > now) {
                nextOpening = std::min(nextOpening, until);
            } else {
                m_limitedUntil.remove(queue);
                open.append(queue);
            }
        }

        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
        if (open.isEmpty()) {
            if (left <= 0ms) {
                co_return std::optional<ClaimedJob>();
            }
            const auto pause = std::chrono::ceil<std::chrono::milliseconds>(nextOpening - now);
            co_await redisSleep(std::clamp(pause, 1ms, std::min(left, 200ms)));
            if (!*alive) {
                co_return std::optional<ClaimedJob>();
            }
            continue;
        }

        // New entries, waiting at most until the next reclaim scan or opening.
        const auto untilOpening = std::chrono::ceil<std::chrono::milliseconds>(nextOpening - now);
        const std::chrono::milliseconds block = std::clamp(left, 0ms, untilOpening);
        QList<QByteArray> argv{"XREADGROUP", "GROUP", "workers", worker.id.toUtf8(), "COUNT", "1"};
        if (block >= 1ms) {
            argv << "BLOCK" << number(block.count());
        }
        argv << "STREAMS";
        for (const QString &queue : std::as_const(open)) {
            argv << queueKey(queue);
        }
        for (qsizetype i = 0; i < open.size(); ++i) {
            argv << ">";
        }
        // (Two statements: GCC 12 miscompiles co_await inside a conditional expression.)
        RedisResult reply = RedisError::make(RedisError::Kind::Unavailable, QString());
        if (block >= 1ms) {
            reply = co_await blockingCommand(argv, block);
        } else {
            reply = co_await m_connection->command(argv);
        }
        if (!*alive) {
            co_return std::optional<ClaimedJob>();
        }
        if (!reply) {
            if (reply.error().message.startsWith(u"NOGROUP"_s)) {
                m_groupsReady.clear();
                continue;
            }
            co_return toQueueError(reply.error());
        }

        // [[key, [[id, [field, value, …]]]], …]: COUNT applies to each stream, so several
        // queues can deliver at once; what is not taken now waits in the backlog.
        if (reply->isArray()) {
            for (const RedisReply &stream : reply->elements) {
                const QByteArray streamKey = stream.elements.value(0).string;
                const QString queue = QString::fromUtf8(streamKey.mid(queueKey({}).size()));
                for (const RedisReply &raw : stream.elements.value(1).elements) {
                    m_backlog.append(Entry{queue,
                                           raw.elements.value(0).string,
                                           pairs(raw.elements.value(1)).value("job")});
                }
            }
        }
        if (!m_backlog.isEmpty()) {
            continue;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            co_return std::optional<ClaimedJob>();
        }
    }
}

QCoro::Task<QueueResult<bool>> RedisJobQueue::appendEvents(ClaimedJob job, QList<JobEvent> events)
{
    co_return co_await appendBatch(job, std::move(events));
}

QCoro::Task<QueueResult<bool>> RedisJobQueue::renewLease(ClaimedJob job)
{
    co_return co_await appendBatch(job, QList<JobEvent>());
}

QCoro::Task<QueueResult<void>> RedisJobQueue::finish(ClaimedJob job, JobRecord record)
{
    const std::shared_ptr<bool> alive = m_alive;
    const JobEvent done = JobEvent::makeDone(job.attempt, record.status, record.error);
    const QByteArray errorJson =
            record.error ? compact(chatErrorToJson(*record.error)) : QByteArray();

    QList<QByteArray> args{number(job.attempt),
                           number(m_url.ttl.count()),
                           compact(done.toJson()),
                           jobStatusName(record.status).toUtf8(),
                           errorJson};
    args << "content" << record.content.toUtf8() << "reasoning" << record.reasoning.toUtf8()
         << "finish_reason" << record.finishReason.toUtf8() << "usage"
         << (record.usage.known ? compact(record.usage.toJson()) : QByteArray()) << "tool_calls"
         << (record.toolCalls.isEmpty() ? QByteArray() : compact(toolCallsToJson(record.toolCalls)))
         << "error" << errorJson;
    if (record.firstTokenAtMs > 0) {
        args << "first_token_at" << number(record.firstTokenAtMs);
    }
    if (record.firstContentAtMs > 0) {
        args << "first_content_at" << number(record.firstContentAtMs);
    }
    if (record.finishedAtMs > 0) {
        args << "finished_at" << number(record.finishedAtMs);
    }

    const QList<QByteArray> keys{jobKey(job.jobId),
                                 jobKey(job.jobId, ":events"),
                                 jobKey(job.jobId, ":cancel"),
                                 queueKey(queueOfReceipt(job)),
                                 key(u"dead"_s),
                                 key(u"active:"_s + queueOfReceipt(job))};
    const RedisResult reply = co_await runScriptRetrying(redisscripts::finish(), keys, args);
    if (*alive) {
        m_running.remove(job.jobId);
    }
    if (!reply) {
        co_return toQueueError(reply.error());
    }
    qCInfo(lcRedis).noquote() << "job" << job.jobId << jobStatusName(record.status);
    co_return {};
}

QCoro::Task<QueueResult<void>> RedisJobQueue::release(ClaimedJob job)
{
    const std::shared_ptr<bool> alive = m_alive;
    const QList<QByteArray> keys{jobKey(job.jobId),
                                 jobKey(job.jobId, ":events"),
                                 jobKey(job.jobId, ":cancel"),
                                 queueKey(queueOfReceipt(job)),
                                 key(u"active:"_s + queueOfReceipt(job))};
    const QList<QByteArray> args{number(job.attempt), number(m_url.ttl.count())};
    const RedisResult reply = co_await runScriptRetrying(redisscripts::release(), keys, args);
    if (*alive) {
        m_running.remove(job.jobId);
    }
    if (!reply) {
        co_return toQueueError(reply.error());
    }
    qCInfo(lcRedis).noquote() << "job" << job.jobId << "handed back:" << reply->toString();
    co_return {};
}

QCoro::Task<QueueResult<void>>
RedisJobQueue::setProfileLimits(QString profile, int maxConcurrent, int maxPerMinute)
{
    // Only the limits given: a worker that knows no per-minute budget must not erase the one
    // an operator or another worker set.
    QList<QByteArray> argv{"HSET", key(u"limits:"_s + profile)};
    if (maxConcurrent > 0) {
        argv << "concurrent" << QByteArray::number(maxConcurrent);
    }
    if (maxPerMinute > 0) {
        argv << "per_minute" << QByteArray::number(maxPerMinute);
    }
    if (argv.size() == 2) {
        co_return {};
    }

    const RedisResult reply = co_await m_connection->command(argv);
    if (!reply) {
        co_return toQueueError(reply.error());
    }
    co_return {};
}

QCoro::Task<QueueResult<QList<WorkerStatus>>> RedisJobQueue::listWorkers()
{
    const std::shared_ptr<bool> alive = m_alive;
    const QList<QByteArray> argv{"HGETALL", key(u"workers"_s)};
    const RedisResult all = co_await m_connection->command(argv);
    if (!all) {
        co_return toQueueError(all.error());
    }
    if (!*alive) {
        co_return QList<WorkerStatus>();
    }

    // A worker is alive while its heartbeat key exists; the others leave the hash.
    const QHash<QByteArray, QByteArray> beats = pairs(*all);
    std::vector<std::pair<QByteArray, QCoro::Task<RedisResult>>> checks;
    for (auto it = beats.begin(); it != beats.end(); ++it) {
        checks.emplace_back(it.key(),
                            m_connection->command({"EXISTS", key(u"worker:"_s) + it.key()}));
    }
    QList<WorkerStatus> workers;
    QList<QByteArray> gone;
    for (auto &[id, check] : checks) {
        const RedisResult exists = co_await check;
        if (!exists) {
            co_return toQueueError(exists.error());
        }
        if (exists->integer == 0) {
            gone.append(id);
            continue;
        }
        const QJsonObject state = parseObject(beats.value(id));
        WorkerStatus worker;
        worker.id = QString::fromUtf8(id);
        for (const QJsonValue &profile : state.value(u"profiles"_s).toArray()) {
            worker.profiles.append(profile.toString());
        }
        worker.concurrency = state.value(u"concurrency"_s).toInt();
        for (const QJsonValue &job : state.value(u"running"_s).toArray()) {
            worker.runningJobs.append(job.toString());
        }
        worker.lastBeatAtMs = state.value(u"seen_at"_s).toInteger();
        workers.append(std::move(worker));
    }
    if (!gone.isEmpty() && *alive) {
        const QList<QByteArray> forget = QList<QByteArray>{"HDEL", key(u"workers"_s)} + gone;
        co_await m_connection->command(forget);
    }
    std::sort(workers.begin(), workers.end(), [](const WorkerStatus &a, const WorkerStatus &b) {
        return a.id < b.id;
    });
    co_return workers;
}

// Helpers

QCoro::Task<QueueResult<bool>> RedisJobQueue::appendBatch(const ClaimedJob &job,
                                                          QList<JobEvent> events)
{
    const quint64 batch = QRandomGenerator::global()->generate64();
    QList<QByteArray> args{number(job.attempt),
                           number(m_url.lease.count()),
                           QByteArray::number(batch, 16),
                           hasAnswerText(events) ? "1" : "0"};
    for (JobEvent &event : events) {
        event.attempt = job.attempt;
        args.append(compact(event.toJson()));
    }

    const QList<QByteArray> keys{jobKey(job.jobId),
                                 jobKey(job.jobId, ":events"),
                                 jobKey(job.jobId, ":cancel"),
                                 queueKey(queueOfReceipt(job)),
                                 key(u"active:"_s + queueOfReceipt(job))};
    const RedisResult reply = co_await runScriptRetrying(redisscripts::append(), keys, args);
    if (!reply) {
        co_return toQueueError(reply.error());
    }
    co_return reply->integer != 0;
}

QCoro::Task<RedisResult>
RedisJobQueue::runScript(const RedisScript &script, QList<QByteArray> keys, QList<QByteArray> args)
{
    const std::shared_ptr<bool> alive = m_alive;
    QList<QByteArray> tail{number(keys.size())};
    tail << keys << args;

    const QList<QByteArray> evalSha = QList<QByteArray>{"EVALSHA", script.sha1} + tail;
    RedisResult reply = co_await m_connection->command(evalSha);
    if (!*alive || reply || !reply.error().message.startsWith(u"NOSCRIPT"_s)) {
        co_return reply;
    }
    // Unknown to this server yet (or since a restart): send the source once.
    const QList<QByteArray> eval = QList<QByteArray>{"EVAL", script.source} + tail;
    co_return co_await m_connection->command(eval);
}

QCoro::Task<RedisResult> RedisJobQueue::runScriptRetrying(const RedisScript &script,
                                                          QList<QByteArray> keys,
                                                          QList<QByteArray> args)
{
    const std::shared_ptr<bool> alive = m_alive;
    const auto giveUp = std::chrono::steady_clock::now()
                        + std::max(m_url.lease, std::chrono::milliseconds(5000));
    for (;;) {
        RedisResult reply = co_await runScript(script, keys, args);
        if (!*alive || reply || reply.error().kind != RedisError::Kind::Unavailable
            || std::chrono::steady_clock::now() >= giveUp) {
            co_return reply;
        }
        qCDebug(lcRedis).noquote()
                << "retrying" << script.name << "after:" << reply.error().message;
        co_await redisSleep(50ms);
        if (!*alive) {
            co_return reply;
        }
    }
}

QCoro::Task<RedisResult> RedisJobQueue::blockingCommand(QList<QByteArray> argv,
                                                        std::chrono::milliseconds block)
{
    const std::shared_ptr<bool> alive = m_alive;
    RedisConnection *connection =
            m_idleBlocking.isEmpty() ? new RedisConnection(m_url, this) : m_idleBlocking.takeLast();
    RedisResult reply = co_await connection->command(std::move(argv), block);
    if (!*alive) {
        co_return reply;
    }
    if (reply || reply.error().kind == RedisError::Kind::Reply) {
        m_idleBlocking.append(connection);
    } else {
        connection->deleteLater();
    }
    co_return reply;
}

QCoro::Task<QueueResult<QStringList>> RedisJobQueue::servedQueues(const WorkerIdentity &worker)
{
    QStringList queues = worker.profiles;
    if (queues.isEmpty()) {
        const QList<QByteArray> argv{"SMEMBERS", key(u"queues"_s)};
        const RedisResult members = co_await m_connection->command(argv);
        if (!members) {
            co_return toQueueError(members.error());
        }
        for (const RedisReply &member : members->elements) {
            queues.append(member.toString());
        }
        queues.sort();
    }
    const QueueResult<void> ready = co_await ensureGroups(queues);
    if (!ready) {
        co_return ready.error();
    }
    co_return queues;
}

QCoro::Task<QueueResult<void>> RedisJobQueue::ensureGroups(const QStringList &queues)
{
    const std::shared_ptr<bool> alive = m_alive;
    for (const QString &queue : queues) {
        if (m_groupsReady.contains(queue)) {
            continue;
        }
        // From id 0, so entries added before any worker existed are served too.
        const QList<QByteArray> argv{"XGROUP",
                                     "CREATE",
                                     queueKey(queue),
                                     "workers",
                                     "0",
                                     "MKSTREAM"};
        const RedisResult reply = co_await m_connection->command(argv);
        if (!*alive) {
            co_return {};
        }
        if (!reply && !reply.error().message.startsWith(u"BUSYGROUP"_s)) {
            co_return toQueueError(reply.error());
        }
        m_groupsReady.insert(queue);
    }
    co_return {};
}

QCoro::Task<QueueResult<std::optional<ClaimedJob>>>
RedisJobQueue::reclaimExpired(const WorkerIdentity &worker, const QStringList &queues)
{
    const std::shared_ptr<bool> alive = m_alive;
    for (const QString &queue : queues) {
        const QByteArray stream = queueKey(queue);
        const QList<QByteArray> pendingArgv{"XPENDING",
                                            stream,
                                            "workers",
                                            "IDLE",
                                            number(m_url.lease.count()),
                                            "-",
                                            "+",
                                            "16"};
        const RedisResult pending = co_await m_connection->command(pendingArgv);
        if (!*alive) {
            co_return std::optional<ClaimedJob>();
        }
        if (!pending) {
            co_return toQueueError(pending.error());
        }

        for (const RedisReply &item : pending->elements) {
            const QByteArray entryId = item.elements.value(0).string;
            const QList<QByteArray> rangeArgv{"XRANGE", stream, entryId, entryId};
            const RedisResult range = co_await m_connection->command(rangeArgv);
            if (!*alive) {
                co_return std::optional<ClaimedJob>();
            }
            if (!range) {
                co_return toQueueError(range.error());
            }
            if (range->elements.isEmpty()) {
                const QList<QByteArray> ackArgv{"XACK", stream, "workers", entryId};
                co_await m_connection->command(ackArgv);
                continue;
            }
            const RedisReply &raw = range->elements.first();
            Entry entry{queue, entryId, pairs(raw.elements.value(1)).value("job")};
            QueueResult<std::optional<ClaimedJob>> taken = co_await take(worker, entry, true);
            if (!*alive || !taken || taken->has_value()) {
                if (taken && taken->has_value()) {
                    qCInfo(lcRedis).noquote()
                            << "job" << (*taken)->jobId
                            << "reclaimed after its lease ran out, attempt" << (*taken)->attempt;
                }
                co_return taken;
            }
        }
    }
    co_return std::optional<ClaimedJob>();
}

QCoro::Task<QueueResult<std::optional<ClaimedJob>>>
RedisJobQueue::take(const WorkerIdentity &worker, Entry entry, bool reclaim)
{
    const std::shared_ptr<bool> alive = m_alive;

    // Anything a worker cannot run goes to the dead-letter stream with the reason.
    QString problem;
    QJsonObject object;
    QString jobId;
    if (entry.payload.isEmpty()) {
        problem = u"the entry has no `job` field"_s;
    } else if (entry.payload.size() > kMaxEntryBytes) {
        problem = u"payload of %1 bytes exceeds the limit of 1 MiB"_s.arg(entry.payload.size());
    } else {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(entry.payload, &parseError);
        object = document.object();
        jobId = object.value(u"id"_s).toString();
        if (parseError.error != QJsonParseError::NoError) {
            problem = u"not JSON: "_s + parseError.errorString();
        } else if (!document.isObject()) {
            problem = u"not a JSON object"_s;
        } else if (object.value(u"v"_s).toInt() != 1) {
            problem = u"unknown wire format version "_s
                      + QString::fromUtf8(compact(QJsonObject{{u"v"_s, object.value(u"v"_s)}}));
        } else if (!isValidJobId(jobId)) {
            problem = u"missing or invalid job id"_s;
        } else if (!object.value(u"request"_s).isObject()
                   || object.value(u"request"_s)
                              .toObject()
                              .value(u"messages"_s)
                              .toArray()
                              .isEmpty()) {
            problem = u"missing request or messages"_s;
        } else if (const QString invalid
                   = ChatRequest::problemWith(object.value(u"request"_s).toObject());
                   !invalid.isEmpty()) {
            problem = u"invalid request: "_s + invalid;
        }
    }
    if (!problem.isEmpty()) {
        qCWarning(lcRedis).noquote() << "queue" << entry.queue << "entry" << entry.id
                                     << "goes to the dead-letter stream:" << problem;
        const QList<QByteArray> deadKeys{queueKey(entry.queue), key(u"dead"_s)};
        const QList<QByteArray> deadArgs{entry.id,
                                         entry.queue.toUtf8(),
                                         problem.toUtf8(),
                                         entry.payload.left(kMaxDeadPayloadBytes),
                                         isValidJobId(jobId) ? jobId.toUtf8() : QByteArray()};
        const RedisResult dead = co_await runScript(redisscripts::deadLetter(), deadKeys, deadArgs);
        if (!dead) {
            co_return toQueueError(dead.error());
        }
        co_return std::optional<ClaimedJob>();
    }

    // The claim itself.
    const QJsonObject requestJson = object.value(u"request"_s).toObject();
    const qint64 submittedAt = object.value(u"submitted_at"_s).toInteger(nowMs());
    const QList<QByteArray> keys{jobKey(jobId),
                                 jobKey(jobId, ":events"),
                                 jobKey(jobId, ":cancel"),
                                 queueKey(entry.queue),
                                 key(u"jobs"_s),
                                 key(u"dead"_s),
                                 key(u"limits:"_s + entry.queue),
                                 key(u"active:"_s + entry.queue),
                                 key(u"rate:"_s + entry.queue)};
    const QList<QByteArray> args{entry.id,
                                 worker.id.toUtf8(),
                                 number(m_url.lease.count()),
                                 number(m_url.maxAttempts),
                                 jobId.toUtf8(),
                                 entry.queue.toUtf8(),
                                 compact(requestJson),
                                 number(submittedAt),
                                 number(m_url.ttl.count()),
                                 reclaim ? "reclaim" : "new"};
    const RedisResult reply = co_await runScript(redisscripts::claim(), keys, args);
    if (!reply) {
        co_return toQueueError(reply.error());
    }
    if (*alive && reply->elements.value(0).string == "limited") {
        // The queue's shared limits are reached: leave it alone for a while.
        const auto pause = std::chrono::milliseconds(reply->elements.value(1).integer);
        m_limitedUntil.insert(entry.queue, std::chrono::steady_clock::now() + pause);
        qCDebug(lcRedis).noquote()
                << "queue" << entry.queue << "at its limits for" << pause.count() << "ms";
    }
    if (!*alive || reply->elements.value(0).string != "claimed") {
        co_return std::optional<ClaimedJob>();
    }

    ClaimedJob job;
    job.jobId = jobId;
    job.request = ChatRequest::fromJson(requestJson);
    job.attempt = int(reply->elements.value(1).integer);
    job.receipt = receiptFor(entry.queue, entry.id);
    m_running.insert(jobId);
    qCInfo(lcRedis).noquote() << "job" << jobId << "claimed by" << worker.id << "attempt"
                              << job.attempt;
    co_return std::optional<ClaimedJob>(std::move(job));
}

void RedisJobQueue::startHeartbeat(const WorkerIdentity &worker)
{
    const bool changed = !m_worker || m_worker->id != worker.id;
    m_worker = worker;
    if (changed) {
        beat();
    }
    if (!m_heartbeat.isActive()) {
        m_heartbeat.start();
    }
}

QCoro::Task<void> RedisJobQueue::beat()
{
    if (!m_worker) {
        co_return;
    }
    QJsonArray running;
    for (const QString &id : std::as_const(m_running)) {
        running.append(id);
    }
    const QJsonObject state{
            {u"v"_s, 1},
            {u"id"_s, m_worker->id},
            {u"host"_s, QHostInfo::localHostName()},
            {u"pid"_s, QCoreApplication::applicationPid()},
            {u"profiles"_s, QJsonArray::fromStringList(m_worker->profiles)},
            {u"concurrency"_s, m_worker->concurrency},
            {u"running"_s, running},
            {u"seen_at"_s, nowMs()},
    };
    const QByteArray id = m_worker->id.toUtf8();
    auto written = m_connection->command({"HSET", key(u"workers"_s), id, compact(state)});
    auto alive = m_connection->command(
            {"SET",
             key(u"worker:"_s) + id,
             "1",
             "PX",
             number(std::chrono::milliseconds(kHeartbeatInterval * 3).count())});
    const RedisResult first = co_await written;
    const RedisResult second = co_await alive;
    if (!first || !second) {
        qCDebug(lcRedis).noquote() << "heartbeat not written:"
                                   << (first ? second.error().message : first.error().message);
    }
}
