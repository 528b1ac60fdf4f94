#include "app/chatq/jobprinter.h"

#include "app/chatq/consoleoutput.h"
#include "app/chatq/exitstatus.h"
#include "core/util/interruptwatcher.h"
#include "core/queue/jobqueue.h"
#include "core/queue/jobwatcher.h"

#include <QJsonDocument>
#include <QPointer>

using namespace Qt::StringLiterals;

JobPrinter::JobPrinter(JobQueue *queue,
                       QString jobId,
                       Options options,
                       InterruptWatcher *interrupts,
                       QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_jobId(std::move(jobId))
    , m_options(std::move(options))
    , m_interrupts(interrupts)
{
    connect(m_interrupts, &InterruptWatcher::interrupted, this, &JobPrinter::onInterrupted);
}

void JobPrinter::start()
{
    m_watcher = new JobWatcher(m_queue, m_jobId, m_options.afterEventId, this);
    connect(m_watcher, &JobWatcher::deltaReceived, this, &JobPrinter::onDelta);
    connect(m_watcher, &JobWatcher::resetReceived, this, &JobPrinter::onReset);
    connect(m_watcher, &JobWatcher::attemptFailed, this, &JobPrinter::onAttemptFailed);
    connect(m_watcher, &JobWatcher::finished, this, &JobPrinter::onFinished);
    connect(m_watcher, &JobWatcher::queueFailed, this, &JobPrinter::onQueueFailed);
    m_watcher->start();
}

bool JobPrinter::hasEnded() const
{
    return m_ended;
}

int JobPrinter::exitStatus() const
{
    return m_exitStatus;
}

void JobPrinter::onDelta(const ChatDelta &delta)
{
    if (m_options.printReasoning && !delta.reasoning.isEmpty()) {
        console::err(delta.reasoning);
        m_reasoningLineOpen = !delta.reasoning.endsWith(u'\n');
    }
    if (!m_options.printJson && !delta.content.isEmpty()) {
        endReasoningLine();
        console::out(delta.content);
        m_printedAnything = true;
    }
}

void JobPrinter::endReasoningLine()
{
    if (m_reasoningLineOpen) {
        console::err(u"\n"_s);
        m_reasoningLineOpen = false;
    }
}

void JobPrinter::onAttemptFailed(const ChatError &error)
{
    // Retries can take a while (Retry-After, backoff); say why nothing is arriving.
    endReasoningLine();
    console::err(u"chatq: %1; trying again\n"_s.arg(error.toDisplayString()));
}

void JobPrinter::onReset(int attempt)
{
    if (!m_options.printJson && m_printedAnything) {
        console::err(u"\nchatq: the job restarted (attempt %1); its answer follows again\n"_s.arg(
                attempt));
    }
}

void JobPrinter::onFinished(const JobRecord &record)
{
    endReasoningLine();
    if (m_options.printJson) {
        const QByteArray json = QJsonDocument(record.toResultJson()).toJson(QJsonDocument::Compact);
        console::out(QString::fromUtf8(json) + u'\n');
    } else if (m_printedAnything && !record.content.endsWith(u'\n')) {
        console::out(u"\n"_s);
    }

    const bool interrupted = m_interrupts->count() > 0;
    if (record.status == JobStatus::Failed && record.error) {
        console::err(u"chatq: %1\n"_s.arg(record.error->toDisplayString()));
    } else if (record.status == JobStatus::Cancelled && !interrupted) {
        console::err(u"chatq: the job was cancelled\n"_s);
    }

    switch (record.status) {
    case JobStatus::Succeeded:
        end(exitstatus::kSucceeded);
        break;
    case JobStatus::Cancelled:
        end(interrupted ? exitstatus::kInterrupted : exitstatus::kFailed);
        break;
    default:
        end(exitstatus::kFailed);
        break;
    }
}

void JobPrinter::onQueueFailed(const QueueError &error)
{
    console::err(u"chatq: %1\n"_s.arg(error.message));
    end(exitstatus::kFailed);
}

void JobPrinter::onInterrupted()
{
    // Watching: Ctrl+C stops watching and leaves the job alone. Asking: the first Ctrl+C
    // cancels the job and waits for its record; a second one stops waiting.
    if (!m_options.cancelOnInterrupt || m_interrupts->count() > 1) {
        end(exitstatus::kInterrupted);
        return;
    }

    console::err(u"\nchatq: cancelling…\n"_s);
    [](QPointer<JobPrinter> self, JobQueue *queue, QString jobId) -> QCoro::Task<void> {
        const auto cancelled = co_await queue->cancel(jobId);
        if (self && !cancelled) {
            console::err(u"chatq: cannot cancel: %1\n"_s.arg(cancelled.error().message));
            self->end(exitstatus::kInterrupted);
        }
    }(this, m_queue, m_jobId);
}

void JobPrinter::end(int status)
{
    if (m_ended) {
        return;
    }
    m_ended = true;
    m_exitStatus = status;
    if (m_watcher) {
        m_watcher->stop();
    }
    Q_EMIT ended();
}
