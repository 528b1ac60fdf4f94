#include "core/worker/queueworker.h"

#include "core/worker/networkpool.h"

#include "core/provider/chatstream.h"
#include "core/settings/profileregistry.h"
#include "core/util/signalwait.h"
#include "core/worker/jobrun.h"
#include "core/worker/workerlog.h"

#include <QCoroTimer>
#include <QDateTime>
#include <QNetworkAccessManager>
#include <QScopeGuard>
#include <QPointer>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// How long one claim waits for a job. A stopping worker notices within this time, so it
// bounds how long stop() and the pool's destructor take when no job is running.
constexpr std::chrono::milliseconds kClaimWait = 500ms;

// Pause after the queue failed before trying again.
constexpr std::chrono::milliseconds kQueueRetryDelay = 1s;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

bool carriesText(const ChatDelta &delta)
{
    return !delta.content.isEmpty() || !delta.reasoning.isEmpty() || !delta.refusal.isEmpty()
            || !delta.toolCallFragments.isEmpty();
}

} // namespace

void JobRun::abortStream()
{
    if (stream) {
        stream->cancel();
    }
}

QueueWorker::QueueWorker(std::shared_ptr<QueueBackend> backend,
                         std::shared_ptr<ProfileRegistry> profiles,
                         WorkerPoolOptions options,
                         QString id,
                         QObject *parent)
    : QObject(parent)
    , m_backend(std::move(backend))
    , m_profiles(std::move(profiles))
    , m_options(std::move(options))
    , m_id(std::move(id))
    , m_queue(m_backend->connect())
    , m_network(new NetworkPool(this))
    , m_graceTimer(new QTimer(this))
{
    m_graceTimer->setSingleShot(true);
    connect(m_graceTimer, &QTimer::timeout, this, &QueueWorker::handBackAll);
    connect(m_queue.get(), &JobQueue::cancelRequested, this, &QueueWorker::onCancelRequested);
}

QueueWorker::~QueueWorker()
{
    // Coroutines of this worker hold `this`; the pool destroys a worker only after stopped().
    Q_ASSERT(m_runs.isEmpty());
}

void QueueWorker::start()
{
    if (m_started) {
        return;
    }
    m_started = true;
    m_claimLoopDone = false;
    qCInfo(lcWorker) << "Worker" << m_id << "started on" << m_backend->describe();
    claimLoop();
}

void QueueWorker::stop(std::chrono::milliseconds grace)
{
    if (!m_stopping) {
        m_stopping = true;
        qCInfo(lcWorker) << "Worker" << m_id << "stopping with" << m_runs.size()
                         << "jobs running";
        Q_EMIT capacityChanged();
    }

    if (m_runs.isEmpty()) {
        checkStopped();
        return;
    }
    if (grace <= 0ms) {
        handBackAll();
        return;
    }
    if (!m_graceTimer->isActive() || m_graceTimer->remainingTimeAsDuration() > grace) {
        m_graceTimer->start(grace);
    }
}

WorkerIdentity QueueWorker::identity() const
{
    WorkerIdentity identity;
    identity.id = m_id;
    identity.concurrency = m_options.streamsPerThread;
    if (!m_options.serveAnyProfile) {
        identity.profiles = m_profiles->names();
    }
    return identity;
}

QCoro::Task<void> QueueWorker::claimLoop()
{
    while (!isStopping()) {
        if (m_runs.size() >= m_options.streamsPerThread) {
            co_await signalOrTimeout(this, &QueueWorker::capacityChanged, kClaimWait);
            continue;
        }

        // Serving only registered profiles with none registered: claim nothing, since an
        // empty list would mean "any profile".
        const WorkerIdentity who = identity();
        if (!m_options.serveAnyProfile && who.profiles.isEmpty()) {
            co_await signalOrTimeout(this, &QueueWorker::capacityChanged, kClaimWait);
            continue;
        }

        QueueResult<std::optional<ClaimedJob>> claimed = co_await m_queue->claim(who, kClaimWait);
        if (!claimed) {
            qCWarning(lcWorker) << "Worker" << m_id << "cannot claim:" << claimed.error().message;
            co_await signalOrTimeout(this, &QueueWorker::capacityChanged, kQueueRetryDelay);
            continue;
        }
        if (!claimed->has_value()) {
            continue;
        }

        ClaimedJob job = std::move(**claimed);
        if (isStopping()) {
            // Claimed while stop() ran: give it straight back.
            const QueueResult<void> released = co_await m_queue->release(job);
            if (!released) {
                qCWarning(lcWorker) << "Cannot hand back job" << job.jobId << ":"
                                    << released.error().message;
            }
            break;
        }
        runJob(std::move(job));
    }

    m_claimLoopDone = true;
    checkStopped();
}

QCoro::Task<void> QueueWorker::runJob(ClaimedJob job)
{
    auto *run = new JobRun(job, m_options.flushInterval, m_options.flushBytes);
    run->setParent(this);
    run->startedAtMs = nowMs();
    m_runs.insert(job.jobId, run);
    report(job.jobId, job.attempt > 1 ? u"reclaimed"_s : u"claimed"_s);
    qCInfo(lcWorker) << "Worker" << m_id << "claimed job" << job.jobId << "attempt"
                     << job.attempt << "profile" << job.request.profile << "model"
                     << job.request.model;

    co_await streamJob(run);

    m_runs.remove(job.jobId);
    delete run;
    Q_EMIT capacityChanged();
    checkStopped();
}

QCoro::Task<void> QueueWorker::streamJob(JobRun *run)
{
    const ClaimedJob &job = run->job();

    JobRecord record;
    record.id = job.jobId;
    record.request = job.request;
    record.attempts = job.attempt;
    record.worker = m_id;
    record.startedAtMs = run->startedAtMs;

    // In-process there is nobody else to serve an unknown profile: say so instead of
    // leaving the job waiting for ever (see WorkerPoolOptions::serveAnyProfile).
    const std::optional<ProviderProfile> profile = m_profiles->find(job.request.profile);
    if (!profile) {
        record.status = JobStatus::Failed;
        record.error = ChatError::make(
                ErrorKind::NotFound,
                u"No worker serves the profile \"%1\": add it in the provider settings."_s
                        .arg(job.request.profile));
        co_await endJob(run, std::move(record));
        co_return;
    }

    // The claim wrote the `running` status; this only learns of a cancellation or takeover
    // that came in between.
    const QueueResult<bool> started = co_await m_queue->renewLease(job);
    if (!started && started.error().kind == QueueError::Kind::LeaseLost) {
        qCWarning(lcWorker) << "Job" << job.jobId << "was taken over before it started";
        co_return;
    }
    if (started && *started) {
        run->cancelRequested = true;
    }

    StreamOutcome outcome;
    if (run->cancelRequested || run->handBack) {
        outcome.error = ChatError::make(ErrorKind::Cancelled, u"Cancelled."_s);
    } else {
        QNetworkAccessManager *network = m_network->acquire(profile->proxy);
        const auto releaseNetwork = qScopeGuard([this, network] { m_network->release(network); });
        ChatStream stream(network, *profile, job.request);
        run->stream = &stream;
        connect(&stream, &ChatStream::deltaReceived, run, [this, run](const ChatDelta &delta) {
            if (run->firstTokenAtMs == 0 && carriesText(delta)) {
                run->firstTokenAtMs = nowMs();
                report(run->job().jobId, u"first token"_s);
            }
            if (run->firstContentAtMs == 0 && !delta.content.isEmpty()) {
                run->firstContentAtMs = nowMs();
            }
            const bool wasEmpty = !run->coalescer.hasPending();
            const bool full = run->coalescer.add(delta, DeltaCoalescer::Clock::now());
            if (wasEmpty || full) {
                Q_EMIT run->wake();
            }
        });
        connect(&stream, &ChatStream::retrying, run,
                [run](int nextAttempt, const ChatError &error, std::chrono::milliseconds delay) {
                    qCInfo(lcWorker) << "Job" << run->job().jobId << "retries (request"
                                     << nextAttempt << ") in" << delay.count() << "ms after"
                                     << error.toDisplayString();
                    run->extraEvents.append(JobEvent::makeError(run->job().attempt, error));
                    Q_EMIT run->wake();
                });

        auto writer = writeEvents(run);
        outcome = co_await stream.run();
        run->stream = nullptr;
        run->streamDone = true;
        Q_EMIT run->wake();
        co_await writer;
    }

    if (run->leaseLost) {
        qCWarning(lcWorker) << "Job" << job.jobId << "was taken over by another worker";
        co_return;
    }

    const bool cancelled = outcome.error && outcome.error->kind == ErrorKind::Cancelled;
    if (cancelled && run->handBack && !run->cancelRequested) {
        const QueueResult<void> released = co_await m_queue->release(job);
        if (!released) {
            qCWarning(lcWorker) << "Cannot hand back job" << job.jobId << ":"
                                << released.error().message;
        }
        report(job.jobId, u"handed back"_s);
        co_return;
    }

    const ChatReply &reply = outcome.reply;
    record.content = reply.content.isEmpty() ? reply.refusal : reply.content;
    record.reasoning = reply.reasoning;
    record.finishReason = reply.finishReason;
    record.usage = reply.usage;
    record.toolCalls = reply.toolCalls;
    record.firstTokenAtMs = run->firstTokenAtMs;
    record.firstContentAtMs = run->firstContentAtMs;
    record.error = outcome.error;
    if (!outcome.error) {
        record.status = JobStatus::Succeeded;
    } else if (cancelled) {
        record.status = JobStatus::Cancelled;
    } else {
        record.status = JobStatus::Failed;
    }
    co_await endJob(run, std::move(record));
}

QCoro::Task<void> QueueWorker::writeEvents(JobRun *run)
{
    using Clock = DeltaCoalescer::Clock;
    auto lastWrite = Clock::now();

    // A job that streams nothing (a model thinking, a provider stalling) still renews its
    // lease, and learns of a cancellation, at least once a second: backends that cannot push
    // a cancellation report it only when the worker writes.
    const auto silentCheckInterval
            = std::min<std::chrono::milliseconds>(m_options.leaseRenewInterval,
                                                  std::chrono::seconds(1));
    for (;;) {
        const auto now = Clock::now();
        const bool due = run->coalescer.isDue(now)
                || (run->streamDone && run->coalescer.hasPending());
        if (run->leaseLost) {
            run->coalescer.take();
            run->extraEvents.clear();
        } else if (due || !run->extraEvents.isEmpty()
                   || (now - lastWrite >= silentCheckInterval)) {
            QList<JobEvent> events = std::exchange(run->extraEvents, {});
            if (run->coalescer.hasPending()) {
                events.append(JobEvent::makeDelta(run->job().attempt, run->coalescer.take()));
            }

            // Two statements, not `?:` around co_await: GCC 12 miscompiles that form.
            QueueResult<bool> written = false;
            if (events.isEmpty()) {
                written = co_await m_queue->renewLease(run->job());
            } else {
                written = co_await m_queue->appendEvents(run->job(), std::move(events));
            }
            lastWrite = Clock::now();
            if (!written) {
                if (written.error().kind == QueueError::Kind::LeaseLost) {
                    run->leaseLost = true;
                    run->abortStream();
                } else {
                    qCWarning(lcWorker) << "Cannot write events of job" << run->job().jobId
                                        << ":" << written.error().message;
                }
            } else if (*written && !run->cancelRequested) {
                qCInfo(lcWorker) << "Job" << run->job().jobId << "cancelled by request";
                run->cancelRequested = true;
                run->abortStream();
            }
            continue;
        }

        if (run->streamDone) {
            co_return;
        }

        auto wait = m_options.leaseRenewInterval - (now - lastWrite);
        if (run->coalescer.hasPending()) {
            wait = std::min<Clock::duration>(wait, run->coalescer.dueAt() - now);
        }
        const auto waitMs = std::max(std::chrono::ceil<std::chrono::milliseconds>(wait), 0ms);
        co_await signalOrTimeout(run, &JobRun::wake, waitMs);
    }
}

QCoro::Task<void> QueueWorker::endJob(JobRun *run, JobRecord record)
{
    const QString jobId = run->job().jobId;
    record.finishedAtMs = nowMs();
    const JobStatus status = record.status;
    const std::optional<ChatError> error = record.error;

    const QueueResult<void> finished = co_await m_queue->finish(run->job(), std::move(record));
    if (!finished) {
        qCWarning(lcWorker) << "Cannot finish job" << jobId << ":" << finished.error().message;
        co_return;
    }

    if (status == JobStatus::Failed && error) {
        qCInfo(lcWorker) << "Job" << jobId << "failed:" << error->toDisplayString();
    } else {
        qCInfo(lcWorker) << "Job" << jobId << jobStatusName(status);
    }
    report(jobId, status == JobStatus::Succeeded ? u"done"_s : jobStatusName(status));
}

void QueueWorker::onCancelRequested(const QString &jobId)
{
    JobRun *run = m_runs.value(jobId);
    if (!run || run->cancelRequested) {
        return;
    }
    qCInfo(lcWorker) << "Job" << jobId << "cancelled by request";
    run->cancelRequested = true;
    run->abortStream();
}

void QueueWorker::handBackAll()
{
    for (JobRun *run : std::as_const(m_runs)) {
        if (!run->handBack) {
            qCInfo(lcWorker) << "Handing back job" << run->job().jobId;
            run->handBack = true;
            run->abortStream();
        }
    }
}

void QueueWorker::checkStopped()
{
    if (!m_stopping || !m_claimLoopDone || !m_runs.isEmpty() || m_stoppedReported) {
        return;
    }
    m_stoppedReported = true;
    m_graceTimer->stop();
    qCInfo(lcWorker) << "Worker" << m_id << "stopped";

    // Queued: the coroutine that got here is still on the stack and must unwind first.
    QMetaObject::invokeMethod(this, &QueueWorker::stopped, Qt::QueuedConnection);
}

void QueueWorker::report(const QString &jobId, const QString &what)
{
    Q_EMIT jobEvent(jobId, what);
}
