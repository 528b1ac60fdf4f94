#include "core/worker/workerpool.h"

#include "core/queue/jobqueue.h"
#include "core/worker/queueworker.h"
#include "core/worker/workerlog.h"

#include <QCoreApplication>
#include <QCoroSignal>
#include <QEventLoop>
#include <QHostInfo>
#include <QMutex>
#include <QPointer>
#include <QRunnable>
#include <QThread>
#include <QThreadPool>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

Q_LOGGING_CATEGORY(lcWorker, "chatqueue.worker")

namespace {

// How long the destructor waits for worker threads to hand their jobs back. They need
// about one claim wait; past this the threads are left to end on their own.
constexpr std::chrono::milliseconds kDestroyWait = 5s;

} // namespace

// What a pool and one of its threads share: the worker once it exists, a stop asked for
// before it did, and the pool while it lives. Guarded by `mutex`, since the pool's thread
// and the worker thread both use it.
struct WorkerSlot
{
    QMutex mutex;
    QueueWorker *worker = nullptr;
    WorkerPool *pool = nullptr;
    std::optional<std::chrono::milliseconds> stopGrace;
    std::shared_ptr<std::atomic_bool> poolStopping; // shared by every slot of one pool

    // Asks the worker to stop, now or as soon as it exists.
    void requestStop(std::chrono::milliseconds grace)
    {
        QMutexLocker locker(&mutex);
        stopGrace = stopGrace ? std::min(*stopGrace, grace) : grace;
        if (worker) {
            QueueWorker *target = worker;
            QMetaObject::invokeMethod(
                    target, [target, grace] { target->stop(grace); }, Qt::QueuedConnection);
        }
    }
};

// Runs one QueueWorker in a pool thread, inside an event loop of its own, until it stops.
class WorkerRunnable : public QRunnable
{
public:
    WorkerRunnable(std::shared_ptr<WorkerSlot> slot,
                   std::shared_ptr<QueueBackend> backend,
                   std::shared_ptr<ProfileRegistry> profiles,
                   WorkerPoolOptions options,
                   QString id)
        : m_slot(std::move(slot))
        , m_backend(std::move(backend))
        , m_profiles(std::move(profiles))
        , m_options(std::move(options))
        , m_id(std::move(id))
    {
    }

    void run() override
    {
        QThread::currentThread()->setObjectName(m_id);
        QEventLoop loop;
        QueueWorker worker(m_backend, m_profiles, m_options, m_id);
        worker.setStopFlag(m_slot->poolStopping);
        QObject::connect(&worker, &QueueWorker::stopped, &loop, &QEventLoop::quit);

        std::optional<std::chrono::milliseconds> stopGrace;
        {
            QMutexLocker locker(&m_slot->mutex);
            m_slot->worker = &worker;
            stopGrace = m_slot->stopGrace;
            if (m_slot->pool) {
                QObject::connect(&worker, &QueueWorker::jobEvent, m_slot->pool,
                                 &WorkerPool::jobEvent, Qt::QueuedConnection);
            }
        }

        worker.start();
        if (stopGrace) {
            worker.stop(*stopGrace);
        }
        loop.exec();

        QMutexLocker locker(&m_slot->mutex);
        m_slot->worker = nullptr;
        if (WorkerPool *pool = m_slot->pool) {
            QMetaObject::invokeMethod(
                    pool, [pool] { pool->onThreadDone(); }, Qt::QueuedConnection);
        }
    }

private:
    std::shared_ptr<WorkerSlot> m_slot;
    std::shared_ptr<QueueBackend> m_backend;
    std::shared_ptr<ProfileRegistry> m_profiles;
    WorkerPoolOptions m_options;
    QString m_id;
};

WorkerPool::WorkerPool(std::shared_ptr<QueueBackend> backend,
                       std::shared_ptr<ProfileRegistry> profiles,
                       WorkerPoolOptions options,
                       QObject *parent)
    : QObject(parent)
    , m_backend(std::move(backend))
    , m_profiles(std::move(profiles))
    , m_options(std::move(options))
{
    if (m_options.workerName.isEmpty()) {
        m_options.workerName = u"%1:%2"_s.arg(QHostInfo::localHostName())
                                       .arg(QCoreApplication::applicationPid());
    }
    m_options.threads = std::max(1, m_options.threads);
    m_options.streamsPerThread = std::max(1, m_options.streamsPerThread);
}

WorkerPool::~WorkerPool()
{
    *m_stopping = true;
    for (const std::shared_ptr<WorkerSlot> &slot : std::as_const(m_slots)) {
        {
            QMutexLocker locker(&slot->mutex);
            slot->pool = nullptr;
        }
        slot->requestStop(0ms);
    }

    if (m_threads && !m_threads->waitForDone(static_cast<int>(kDestroyWait.count()))) {
        // QThreadPool's destructor would wait for ever; the threads own all they use.
        qCWarning(lcWorker) << "Worker threads did not stop in time; leaving them to finish";
        (void)m_threads.release();
    }
}

void WorkerPool::start()
{
    if (m_threads) {
        return;
    }

    m_threads = std::make_unique<QThreadPool>();
    m_threads->setObjectName(u"chatqueue-workers"_s);
    m_threads->setMaxThreadCount(m_options.threads);
    qCInfo(lcWorker) << "Starting" << m_options.threads << "worker threads,"
                     << m_options.streamsPerThread << "streams each, on" << m_backend->describe();

    for (int i = 0; i < m_options.threads; ++i) {
        auto slot = std::make_shared<WorkerSlot>();
        slot->pool = this;
        slot->poolStopping = m_stopping;
        m_slots.append(slot);
        const QString id = u"%1/%2"_s.arg(m_options.workerName).arg(i + 1);
        m_threads->start(new WorkerRunnable(slot, m_backend, m_profiles, m_options, id));
        ++m_liveThreads;
    }
}

QCoro::Task<void> WorkerPool::stop(std::chrono::milliseconds grace)
{
    // Raised before any worker hears of the stop, so a job one of them hands back is not
    // picked up by another that has not heard yet.
    *m_stopping = true;
    for (const std::shared_ptr<WorkerSlot> &slot : std::as_const(m_slots)) {
        slot->requestStop(grace);
    }
    if (m_liveThreads == 0) {
        co_return;
    }

    QPointer<WorkerPool> self(this);
    co_await qCoro(this, &WorkerPool::stopped);
    if (self && m_threads) {
        m_threads->waitForDone();
    }
}

void WorkerPool::onThreadDone()
{
    if (--m_liveThreads > 0) {
        return;
    }
    qCInfo(lcWorker) << "All worker threads stopped";
    Q_EMIT stopped();
}
