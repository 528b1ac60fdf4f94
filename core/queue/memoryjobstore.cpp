#include "core/queue/memoryjobstore.h"

#include "core/queue/memorynotifier.h"
#include "core/queue/queuelog.h"
#include "core/store/jobpersistence.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QueueError notFound(const QString &jobId)
{
    return QueueError::make(QueueError::Kind::NotFound, u"No job %1 in this queue."_s.arg(jobId));
}

// Stores already open in this process, by data folder.
QMutex s_openMutex;
QHash<QString, std::weak_ptr<MemoryJobStore>> s_openStores;

} // namespace

Result<std::shared_ptr<MemoryJobStore>, QueueError> MemoryJobStore::open(const QString &dataDir)
{
    if (dataDir.isEmpty()) {
        return std::shared_ptr<MemoryJobStore>(new MemoryJobStore(QString()));
    }

    if (!QDir().mkpath(dataDir)) {
        return QueueError::make(QueueError::Kind::Unavailable,
                                u"Cannot create the data folder %1."_s.arg(dataDir));
    }
    const QString key = QFileInfo(dataDir).canonicalFilePath();

    QMutexLocker locker(&s_openMutex);
    if (std::shared_ptr<MemoryJobStore> store = s_openStores.value(key).lock()) {
        return store;
    }

    auto persistence = JobPersistence::open(QDir(key).filePath(u"queue.sqlite"_s));
    if (!persistence) {
        return QueueError::make(QueueError::Kind::Unavailable, persistence.error());
    }

    std::shared_ptr<MemoryJobStore> store(new MemoryJobStore(key));
    store->m_persistence = std::move(persistence).value();
    store->restore(store->m_persistence->loadedJobs());
    s_openStores.insert(key, store);
    qCInfo(lcQueue) << "Opened the in-process queue in" << key << "with" << store->m_pending.size()
                    << "jobs waiting";
    return store;
}

MemoryJobStore::MemoryJobStore(QString dataDir)
    : m_dataDir(std::move(dataDir))
{
}

MemoryJobStore::~MemoryJobStore()
{
    if (m_dataDir.isEmpty()) {
        return;
    }

    // Writes are flushed before the folder can be opened again, so the next store reads
    // what this one wrote last.
    QMutexLocker locker(&s_openMutex);
    m_persistence.reset();
    if (s_openStores.value(m_dataDir).expired()) {
        s_openStores.remove(m_dataDir);
    }
}

void MemoryJobStore::restore(const QList<JobRecord> &records)
{
    for (const JobRecord &record : records) {
        Job job;
        job.record = record;
        job.seq = m_nextSeq++;

        // A finished job keeps one `done` event so a reader that comes back sees it end.
        if (isFinalStatus(record.status)) {
            JobEvent done = JobEvent::makeDone(record.attempts, record.status, record.error);
            done.id = u"1"_s;
            job.events.append(done);
            m_finished.push_back(record.id);
            m_jobs.insert(record.id, std::move(job));
            continue;
        }

        // Queued, or running when the process ended: both wait for a worker again. A job
        // that was running keeps its attempt count, so the next claim writes `reset`.
        job.record.status = JobStatus::Queued;
        job.record.worker.clear();
        m_pending.push_back(record.id);
        save(job);
        m_jobs.insert(record.id, std::move(job));
    }
}

void MemoryJobStore::attach(MemoryNotifier *notifier)
{
    QMutexLocker locker(&m_mutex);
    m_notifiers.insert(notifier);
}

void MemoryJobStore::detach(MemoryNotifier *notifier)
{
    QMutexLocker locker(&m_mutex);
    m_notifiers.remove(notifier);
    for (auto it = m_watchers.begin(); it != m_watchers.end();) {
        it->remove(notifier);
        it = it->isEmpty() ? m_watchers.erase(it) : std::next(it);
    }
}

void MemoryJobStore::watch(const QString &key, MemoryNotifier *notifier)
{
    QMutexLocker locker(&m_mutex);
    ++m_watchers[key][notifier];
}

void MemoryJobStore::unwatch(const QString &key, MemoryNotifier *notifier)
{
    QMutexLocker locker(&m_mutex);
    auto watchers = m_watchers.find(key);
    if (watchers == m_watchers.end()) {
        return;
    }

    auto count = watchers->find(notifier);
    if (count != watchers->end() && --count.value() <= 0) {
        watchers->erase(count);
    }
    if (watchers->isEmpty()) {
        m_watchers.erase(watchers);
    }
}

QueueResult<QString> MemoryJobStore::submit(ChatRequest request)
{
    const QString id = newId();
    Job job;
    job.record.id = id;
    job.record.request = std::move(request);
    job.record.submittedAtMs = nowMs();

    QMutexLocker locker(&m_mutex);
    job.seq = m_nextSeq++;
    save(job);
    m_jobs.insert(id, std::move(job));
    m_pending.push_back(id);
    wake(QString());
    return id;
}

QueueResult<QList<JobEvent>> MemoryJobStore::eventsAfter(const QString &jobId,
                                                         const QString &afterEventId)
{
    qsizetype after = 0;
    if (!afterEventId.isEmpty()) {
        bool ok = false;
        after = afterEventId.toLongLong(&ok);
        if (!ok || after < 0) {
            const QString message = u"\"%1\" is not an event id of this queue."_s.arg(afterEventId);
            return QueueError::make(QueueError::Kind::Invalid, message);
        }
    }

    QMutexLocker locker(&m_mutex);
    const auto it = m_jobs.constFind(jobId);
    if (it == m_jobs.constEnd()) {
        return notFound(jobId);
    }
    if (after >= it->events.size()) {
        return QList<JobEvent>();
    }
    return it->events.mid(after);
}

QueueResult<JobRecord> MemoryJobStore::record(const QString &jobId) const
{
    QMutexLocker locker(&m_mutex);
    const auto it = m_jobs.constFind(jobId);
    if (it == m_jobs.constEnd()) {
        return notFound(jobId);
    }
    return it->record;
}

QList<JobRecord> MemoryJobStore::listJobs(int limit) const
{
    QMutexLocker locker(&m_mutex);
    QList<const Job *> jobs;
    jobs.reserve(m_jobs.size());
    for (const Job &job : m_jobs) {
        jobs.append(&job);
    }
    std::sort(jobs.begin(), jobs.end(), [](const Job *a, const Job *b) { return a->seq > b->seq; });

    QList<JobRecord> records;
    for (const Job *job : jobs) {
        if (records.size() >= limit) {
            break;
        }
        records.append(job->record);
    }
    return records;
}

QueueResult<void> MemoryJobStore::cancel(const QString &jobId)
{
    QMutexLocker locker(&m_mutex);
    auto it = m_jobs.find(jobId);
    if (it == m_jobs.end()) {
        return notFound(jobId);
    }

    Job &job = *it;
    switch (job.record.status) {
    case JobStatus::Queued:
        m_pending.erase(std::remove(m_pending.begin(), m_pending.end(), jobId), m_pending.end());
        endJob(jobId, job, JobStatus::Cancelled,
               ChatError::make(ErrorKind::Cancelled, u"Cancelled before a worker started it."_s));
        break;
    case JobStatus::Running:
        // The worker sees the flag on its next append; the signal stops it sooner.
        job.cancelRequested = true;
        for (MemoryNotifier *notifier : std::as_const(m_notifiers)) {
            notifier->postCancel(jobId);
        }
        break;
    case JobStatus::Succeeded:
    case JobStatus::Failed:
    case JobStatus::Cancelled:
        break;
    }
    return {};
}

std::optional<ClaimedJob> MemoryJobStore::tryClaim(const WorkerIdentity &worker)
{
    QMutexLocker locker(&m_mutex);
    const auto serves = [&worker, this](const QString &id) {
        return worker.profiles.isEmpty()
                || worker.profiles.contains(m_jobs.constFind(id)->record.request.profile);
    };
    const auto next = std::find_if(m_pending.begin(), m_pending.end(), serves);
    if (next == m_pending.end()) {
        return std::nullopt;
    }

    const QString id = *next;
    m_pending.erase(next);
    Job &job = m_jobs[id];
    job.record.status = JobStatus::Running;
    job.record.attempts += 1;
    job.record.worker = worker.id;
    job.record.startedAtMs = nowMs();
    job.record.firstTokenAtMs = 0;
    job.record.firstContentAtMs = 0;
    job.record.content.clear();
    job.record.reasoning.clear();
    job.reply = ChatReply();
    job.receipt = newId();
    job.progressed = false;
    if (job.record.attempts > 1) {
        appendEvent(id, job, JobEvent::makeReset(job.record.attempts));
    }
    // The claim itself says the job runs, as the Redis backend's claim script does.
    appendEvent(id, job, JobEvent::makeStatus(job.record.attempts, JobStatus::Running));
    save(job);

    ClaimedJob claimed;
    claimed.jobId = id;
    claimed.request = job.record.request;
    claimed.attempt = job.record.attempts;
    claimed.receipt = job.receipt;
    return claimed;
}

QueueResult<bool> MemoryJobStore::append(const ClaimedJob &claimed, QList<JobEvent> events)
{
    QMutexLocker locker(&m_mutex);
    QueueResult<Job *> leased = leasedJob(claimed);
    if (!leased) {
        return leased.error();
    }

    Job &job = **leased;
    job.progressed = true;
    for (JobEvent &event : events) {
        event.attempt = claimed.attempt;
        if (event.type == JobEvent::Type::Delta) {
            if (job.record.firstTokenAtMs == 0
                && (!event.delta.content.isEmpty() || !event.delta.reasoning.isEmpty())) {
                job.record.firstTokenAtMs = nowMs();
            }
            job.reply.apply(event.delta);
            job.record.content = job.reply.content;
            job.record.reasoning = job.reply.reasoning;
        }
        appendEvent(claimed.jobId, job, std::move(event));
    }
    return job.cancelRequested;
}

QueueResult<bool> MemoryJobStore::renew(const ClaimedJob &claimed)
{
    QMutexLocker locker(&m_mutex);
    QueueResult<Job *> leased = leasedJob(claimed);
    if (!leased) {
        return leased.error();
    }
    return (*leased)->cancelRequested;
}

QueueResult<void> MemoryJobStore::finish(const ClaimedJob &claimed, JobRecord result)
{
    if (!isFinalStatus(result.status)) {
        return QueueError::make(QueueError::Kind::Invalid,
                                u"A job can only finish as succeeded, failed or cancelled."_s);
    }

    QMutexLocker locker(&m_mutex);
    QueueResult<Job *> leased = leasedJob(claimed);
    if (!leased) {
        return leased.error();
    }

    // The queue keeps what it owns (id, request, submission time, attempts); the worker
    // gives the answer and its own timings.
    Job &job = **leased;
    JobRecord &record = job.record;
    record.content = result.content;
    record.reasoning = result.reasoning;
    record.finishReason = result.finishReason;
    record.usage = result.usage;
    record.toolCalls = result.toolCalls;
    if (!result.worker.isEmpty()) {
        record.worker = result.worker;
    }
    if (result.startedAtMs > 0) {
        record.startedAtMs = result.startedAtMs;
    }
    if (result.firstTokenAtMs > 0) {
        record.firstTokenAtMs = result.firstTokenAtMs;
    }
    if (result.firstContentAtMs > 0) {
        record.firstContentAtMs = result.firstContentAtMs;
    }
    record.finishedAtMs = result.finishedAtMs > 0 ? result.finishedAtMs : nowMs();
    endJob(claimed.jobId, job, result.status, result.error);
    return {};
}

QueueResult<void> MemoryJobStore::release(const ClaimedJob &claimed)
{
    QMutexLocker locker(&m_mutex);
    QueueResult<Job *> leased = leasedJob(claimed);
    if (!leased) {
        return leased.error();
    }

    // Someone asked to cancel while it ran: that wish wins over running it again.
    Job &job = **leased;
    if (job.cancelRequested) {
        job.record.finishReason = job.reply.finishReason;
        job.record.finishedAtMs = nowMs();
        endJob(claimed.jobId, job, JobStatus::Cancelled,
               ChatError::make(ErrorKind::Cancelled, u"Cancelled."_s));
        return {};
    }

    // A claim given back before it did anything (a worker that was stopping when the job
    // arrived) does not count as an attempt.
    if (!job.progressed) {
        job.record.attempts = std::max(0, job.record.attempts - 1);
    }
    job.receipt.clear();
    job.record.status = JobStatus::Queued;
    appendEvent(claimed.jobId, job, JobEvent::makeStatus(job.record.attempts, JobStatus::Queued));
    save(job);
    enqueue(claimed.jobId, job);
    wake(QString());
    return {};
}

QueueResult<MemoryJobStore::Job *> MemoryJobStore::leasedJob(const ClaimedJob &claimed)
{
    const auto it = m_jobs.find(claimed.jobId);
    if (it == m_jobs.end()) {
        return notFound(claimed.jobId);
    }
    if (it->receipt.isEmpty() || it->receipt != claimed.receipt) {
        return QueueError::make(QueueError::Kind::LeaseLost,
                                u"Job %1 is no longer held by this worker."_s.arg(claimed.jobId));
    }
    return &it.value();
}

void MemoryJobStore::appendEvent(const QString &jobId, Job &job, JobEvent event)
{
    event.id = QString::number(job.events.size() + 1);
    job.events.append(std::move(event));
    wake(jobId);
}

void MemoryJobStore::endJob(const QString &jobId,
                            Job &job,
                            JobStatus status,
                            std::optional<ChatError> error)
{
    job.record.status = status;
    job.record.error = error;
    if (job.record.finishedAtMs == 0) {
        job.record.finishedAtMs = nowMs();
    }
    job.receipt.clear();
    job.cancelRequested = false;
    job.reply = ChatReply();
    appendEvent(jobId, job, JobEvent::makeDone(job.record.attempts, status, std::move(error)));
    save(job);

    // Forget the oldest finished jobs beyond the bound, event logs included.
    m_finished.push_back(jobId);
    while (m_finished.size() > static_cast<size_t>(kKeepFinished)) {
        m_jobs.remove(m_finished.front());
        m_finished.pop_front();
    }
}

void MemoryJobStore::enqueue(const QString &jobId, const Job &job)
{
    // A job handed back keeps its place: older jobs first.
    const auto later = std::find_if(m_pending.begin(), m_pending.end(), [&](const QString &id) {
        return m_jobs.constFind(id)->seq > job.seq;
    });
    m_pending.insert(later, jobId);
}

void MemoryJobStore::wake(const QString &key)
{
    const auto watchers = m_watchers.constFind(key);
    if (watchers == m_watchers.constEnd()) {
        return;
    }
    for (auto it = watchers->constBegin(); it != watchers->constEnd(); ++it) {
        it.key()->post();
    }
}

void MemoryJobStore::save(const Job &job)
{
    if (m_persistence) {
        m_persistence->save(job.record);
    }
}
