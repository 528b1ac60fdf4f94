#include "core/queue/memoryjobqueue.h"

#include "core/queue/memoryjobstore.h"
#include "core/queue/memorynotifier.h"

#include "core/util/signalwait.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace {

// Registers a notifier for one key while a wait checks and sleeps, so that a change made
// between the check and the sleep still wakes it.
class WatchGuard
{
public:
    WatchGuard(MemoryJobStore *store, QString key, MemoryNotifier *notifier)
        : m_store(store)
        , m_key(std::move(key))
        , m_notifier(notifier)
    {
        m_store->watch(m_key, m_notifier);
    }

    ~WatchGuard() { m_store->unwatch(m_key, m_notifier); }

    WatchGuard(const WatchGuard &) = delete;
    WatchGuard &operator=(const WatchGuard &) = delete;

private:
    MemoryJobStore *m_store;
    QString m_key;
    MemoryNotifier *m_notifier;
};

QueueError closedError()
{
    return QueueError::make(QueueError::Kind::Unavailable, u"The queue connection is closed."_s);
}

// Runs `check` until it gives a result or `wait` runs out (then an empty T). `check`
// returns nullopt to keep waiting. Touches only the store and the notifier, never the
// handle, so it ends cleanly when the handle goes away while it sleeps.
template<typename T, typename Check>
QCoro::Task<QueueResult<T>> waitUntil(std::shared_ptr<MemoryJobStore> store,
                                      QPointer<MemoryNotifier> notifier,
                                      QString key,
                                      std::chrono::milliseconds wait,
                                      Check check)
{
    using namespace std::chrono;
    const auto deadline = steady_clock::now() + wait;
    for (;;) {
        if (!notifier || notifier->isClosed()) {
            co_return closedError();
        }

        WatchGuard guard(store.get(), key, notifier.data());
        if (std::optional<QueueResult<T>> done = check()) {
            co_return std::move(*done);
        }

        const auto remaining = ceil<milliseconds>(deadline - steady_clock::now());
        if (remaining <= milliseconds::zero()) {
            co_return T {};
        }
        co_await signalOrTimeout(notifier.data(), &MemoryNotifier::woken, remaining);
    }
}

} // namespace

MemoryJobQueue::MemoryJobQueue(std::shared_ptr<MemoryJobStore> store, QObject *parent)
    : JobQueue(parent)
    , m_store(std::move(store))
    , m_notifier(new MemoryNotifier)
{
    connect(m_notifier, &MemoryNotifier::cancelRequested, this, &JobQueue::cancelRequested);
    m_store->attach(m_notifier);
}

MemoryJobQueue::~MemoryJobQueue()
{
    // Pending waits resume inside close() and end with Unavailable; the notifier itself
    // goes later, as a wait may still be unwinding from its signal.
    m_store->detach(m_notifier);
    m_notifier->close();
    m_notifier->deleteLater();
}

QCoro::Task<QueueResult<QString>> MemoryJobQueue::submit(ChatRequest request)
{
    co_return m_store->submit(std::move(request));
}

QCoro::Task<QueueResult<QList<JobEvent>>> MemoryJobQueue::readEvents(QString jobId,
                                                                     QString afterEventId,
                                                                     std::chrono::milliseconds wait)
{
    auto check = [store = m_store, jobId, afterEventId]()
            -> std::optional<QueueResult<QList<JobEvent>>> {
        QueueResult<QList<JobEvent>> events = store->eventsAfter(jobId, afterEventId);
        if (events && events->isEmpty()) {
            return std::nullopt;
        }
        return events;
    };
    co_return co_await waitUntil<QList<JobEvent>>(m_store, m_notifier, jobId, wait, check);
}

QCoro::Task<QueueResult<JobRecord>> MemoryJobQueue::record(QString jobId)
{
    co_return m_store->record(jobId);
}

QCoro::Task<QueueResult<QList<JobRecord>>> MemoryJobQueue::listJobs(int limit)
{
    co_return m_store->listJobs(limit);
}

QCoro::Task<QueueResult<void>> MemoryJobQueue::cancel(QString jobId)
{
    co_return m_store->cancel(jobId);
}

QCoro::Task<QueueResult<std::optional<ClaimedJob>>> MemoryJobQueue::claim(
        WorkerIdentity worker, std::chrono::milliseconds wait)
{
    auto check = [store = m_store, worker]()
            -> std::optional<QueueResult<std::optional<ClaimedJob>>> {
        std::optional<ClaimedJob> job = store->tryClaim(worker);
        if (!job) {
            return std::nullopt;
        }
        return QueueResult<std::optional<ClaimedJob>>(std::move(job));
    };
    co_return co_await waitUntil<std::optional<ClaimedJob>>(m_store, m_notifier, QString(), wait,
                                                             check);
}

QCoro::Task<QueueResult<bool>> MemoryJobQueue::appendEvents(ClaimedJob job, QList<JobEvent> events)
{
    co_return m_store->append(job, std::move(events));
}

QCoro::Task<QueueResult<bool>> MemoryJobQueue::renewLease(ClaimedJob job)
{
    co_return m_store->renew(job);
}

QCoro::Task<QueueResult<void>> MemoryJobQueue::finish(ClaimedJob job, JobRecord record)
{
    co_return m_store->finish(job, std::move(record));
}

QCoro::Task<QueueResult<void>> MemoryJobQueue::release(ClaimedJob job)
{
    co_return m_store->release(job);
}
