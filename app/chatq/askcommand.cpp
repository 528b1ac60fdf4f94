#include "app/chatq/askcommand.h"

#include "app/chatq/consoleoutput.h"
#include "app/chatq/interruptwatcher.h"
#include "core/queue/jobqueue.h"
#include "core/queue/jobwatcher.h"
#include "core/settings/profileregistry.h"
#include "core/worker/workerpool.h"

#include <QCoroSignal>
#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitInterrupted = 130;

// The in-process queue of one `ask` keeps nothing on disk: if chatq is killed, the
// question goes with it, which is what a person at a terminal expects.
const QString kNoPersistence;

} // namespace

AskCommand::AskCommand(AskOptions options, InterruptWatcher *interrupts, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_interrupts(interrupts)
{
    connect(m_interrupts, &InterruptWatcher::interrupted, this, &AskCommand::onInterrupted);
}

AskCommand::~AskCommand() = default;

QCoro::Task<int> AskCommand::run()
{
    auto backend = openQueueBackend(m_options.queueUrl, kNoPersistence);
    if (!backend) {
        console::err(u"chatq: cannot open queue %1: %2\n"_s.arg(m_options.queueUrl,
                                                                 backend.error().message));
        co_return kExitFailed;
    }
    m_backend = backend.value();

    // Only the in-process queue needs workers here; on Redis the fleet serves the job.
    if (m_options.queueUrl == u"memory"_s) {
        auto profiles = std::make_shared<ProfileRegistry>();
        profiles->insert(m_options.profile);
        WorkerPoolOptions poolOptions;
        poolOptions.threads = 1;
        m_pool = std::make_unique<WorkerPool>(m_backend, profiles, poolOptions);
        m_pool->start();
    }

    m_queue = m_backend->connect(this);
    const auto submitted = co_await m_queue->submit(m_options.request);
    if (!submitted) {
        console::err(u"chatq: cannot submit the job: %1\n"_s.arg(submitted.error().message));
        co_return kExitFailed;
    }
    m_jobId = submitted.value();

    m_watcher = new JobWatcher(m_queue.get(), m_jobId, {}, this);
    connect(m_watcher, &JobWatcher::deltaReceived, this, &AskCommand::onDelta);
    connect(m_watcher, &JobWatcher::resetReceived, this, &AskCommand::onReset);
    connect(m_watcher, &JobWatcher::finished, this, &AskCommand::onFinished);
    connect(m_watcher, &JobWatcher::queueFailed, this, &AskCommand::onQueueFailed);
    m_watcher->start();

    if (!m_ended) {
        co_await qCoro(this, &AskCommand::ended);
    }

    if (m_pool) {
        co_await m_pool->stop(1s);
    }
    co_return m_exitStatus;
}

void AskCommand::onDelta(const ChatDelta &delta)
{
    if (!m_options.printJson && !delta.content.isEmpty()) {
        console::out(delta.content);
    }
    if (m_options.printReasoning && !delta.reasoning.isEmpty()) {
        console::err(delta.reasoning);
    }
}

void AskCommand::onReset(int attempt)
{
    if (!m_options.printJson) {
        console::err(u"\nchatq: the job restarted (attempt %1); its answer follows again\n"_s
                             .arg(attempt));
    }
}

void AskCommand::onFinished(const JobRecord &record)
{
    m_exitStatus = exitStatusFor(record);

    if (m_options.printJson) {
        const QByteArray json = QJsonDocument(record.toResultJson()).toJson(QJsonDocument::Compact);
        console::out(QString::fromUtf8(json) + u'\n');
    } else if (!record.content.isEmpty() && !record.content.endsWith(u'\n')) {
        console::out(u"\n"_s);
    }

    if (record.status == JobStatus::Failed && record.error) {
        console::err(u"chatq: %1\n"_s.arg(record.error->toDisplayString()));
    } else if (record.status == JobStatus::Cancelled && m_exitStatus != kExitInterrupted) {
        console::err(u"chatq: the job was cancelled\n"_s);
    }

    m_ended = true;
    Q_EMIT ended();
}

void AskCommand::onQueueFailed(const QueueError &error)
{
    console::err(u"chatq: lost the queue: %1\n"_s.arg(error.message));
    m_exitStatus = kExitFailed;
    m_ended = true;
    Q_EMIT ended();
}

void AskCommand::onInterrupted()
{
    // First Ctrl+C cancels the job and waits for its record; a second one stops waiting.
    if (m_interrupts->count() > 1 || m_jobId.isEmpty() || !m_queue) {
        m_exitStatus = kExitInterrupted;
        m_ended = true;
        Q_EMIT ended();
        return;
    }

    console::err(u"\nchatq: cancelling…\n"_s);
    [](QPointer<AskCommand> self, QString jobId) -> QCoro::Task<void> {
        const auto cancelled = co_await self->m_queue->cancel(jobId);
        if (self && !cancelled) {
            console::err(u"chatq: cannot cancel: %1\n"_s.arg(cancelled.error().message));
        }
    }(this, m_jobId);
}

int AskCommand::exitStatusFor(const JobRecord &record) const
{
    switch (record.status) {
    case JobStatus::Succeeded:
        return 0;
    case JobStatus::Cancelled:
        return m_interrupts->count() > 0 ? kExitInterrupted : kExitFailed;
    default:
        return kExitFailed;
    }
}
