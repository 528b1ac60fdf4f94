#include "app/chatq/batchrunner.h"

#include "app/chatq/batchoutput.h"
#include "app/chatq/consoleoutput.h"
#include "core/util/interruptwatcher.h"
#include "core/queue/jobqueue.h"
#include "core/queue/jobwatcher.h"

#include <QPointer>

using namespace Qt::StringLiterals;

BatchRunner::BatchRunner(QueueBackend *backend,
                         QList<BatchItem> items,
                         int concurrency,
                         BatchOutput *output,
                         InterruptWatcher *interrupts,
                         QObject *parent)
    : QObject(parent)
    , m_backend(backend)
    , m_items(std::move(items))
    , m_output(output)
    , m_interrupts(interrupts)
    , m_slots(size_t(std::max(concurrency, 1)))
{
    connect(m_interrupts, &InterruptWatcher::interrupted, this, &BatchRunner::onInterrupted);
}

BatchRunner::~BatchRunner() = default;

void BatchRunner::start()
{
    fillSlots();
    endIfDone();
}

void BatchRunner::fillSlots()
{
    for (size_t slot = 0; slot < m_slots.size(); ++slot) {
        // Lines that are no request end at once: their result needs no slot.
        while (!m_interrupted && m_next < m_items.size() && !m_items[m_next].request) {
            const BatchItem &item = m_items[m_next++];
            writeResult(item,
                        {{u"status"_s, u"invalid"_s},
                         {u"job_id"_s, QJsonValue()},
                         {u"error"_s,
                          QJsonObject{{u"kind"_s, u"bad_request"_s},
                                      {u"message"_s, item.problem},
                                      {u"http_status"_s, QJsonValue()}}}});
            ++m_invalid;
        }
        if (m_interrupted || m_next >= m_items.size()) {
            return;
        }
        if (m_slots[slot].item >= 0) {
            continue;
        }
        m_slots[slot].item = int(m_next++);
        submit(int(slot));
    }
}

QCoro::Task<void> BatchRunner::submit(int slot)
{
    QPointer<BatchRunner> self(this);
    Slot &target = m_slots[size_t(slot)];
    if (!target.queue) {
        target.queue = m_backend->connect();
    }
    const ChatRequest request = *m_items[target.item].request;

    const QueueResult<QString> submitted = co_await target.queue->submit(request);
    if (!self) {
        co_return;
    }
    if (!submitted) {
        onQueueFailed(slot, submitted.error());
        co_return;
    }

    Slot &running = m_slots[size_t(slot)];
    running.jobId = submitted.value();
    running.watcher = new JobWatcher(running.queue.get(), running.jobId, QString(), this);
    connect(running.watcher, &JobWatcher::finished, this, [this, slot](const JobRecord &record) {
        onFinished(slot, record);
    });
    connect(running.watcher, &JobWatcher::queueFailed, this, [this, slot](const QueueError &error) {
        onQueueFailed(slot, error);
    });

    // An interrupt that came while the job was being submitted cancels it now; the watcher
    // then reports it cancelled like the others.
    if (m_interrupted) {
        cancelJob(slot);
    }
    running.watcher->start();
}

void BatchRunner::onFinished(int slot, const JobRecord &record)
{
    const BatchItem &item = m_items[m_slots[size_t(slot)].item];
    const bool cancelledByUs = m_interrupted && record.status == JobStatus::Cancelled;
    if (!cancelledByUs) {
        QJsonObject result = record.toResultJson();
        result.insert(u"job_id"_s, record.id);
        writeResult(item, result);
        if (record.status == JobStatus::Succeeded) {
            ++m_succeeded;
        } else {
            ++m_failed;
        }
    }
    release(slot);
}

void BatchRunner::onQueueFailed(int slot, const QueueError &error)
{
    // The queue, not the provider, failed this request: report it as a network failure,
    // which a resumed run tries again.
    const Slot &failed = m_slots[size_t(slot)];
    writeResult(m_items[failed.item],
                {{u"status"_s, u"failed"_s},
                 {u"job_id"_s, failed.jobId.isEmpty() ? QJsonValue() : QJsonValue(failed.jobId)},
                 {u"error"_s,
                  QJsonObject{{u"kind"_s, u"network"_s},
                              {u"message"_s, QString(u"the queue failed: "_s + error.message)},
                              {u"http_status"_s, QJsonValue()}}}});
    ++m_failed;
    release(slot);
}

void BatchRunner::release(int slot)
{
    Slot &done = m_slots[size_t(slot)];
    if (done.watcher) {
        done.watcher->stop();
        done.watcher->deleteLater();
        done.watcher = nullptr;
    }
    done.jobId.clear();
    done.item = -1;

    fillSlots();
    endIfDone();
}

void BatchRunner::writeResult(const BatchItem &item, QJsonObject result)
{
    result.insert(u"id"_s, item.id);
    result.insert(u"line"_s, item.line);
    if (!m_output->write(result) && !m_outputFailed) {
        m_outputFailed = true;
        console::err(u"chatq batch: cannot write a result: %1\n"_s.arg(m_output->errorString()));
    }
}

void BatchRunner::onInterrupted()
{
    if (m_interrupted) {
        end();
        return;
    }
    m_interrupted = true;
    console::err(u"\nchatq batch: cancelling the jobs in flight…\n"_s);
    for (size_t slot = 0; slot < m_slots.size(); ++slot) {
        if (!m_slots[slot].jobId.isEmpty()) {
            cancelJob(int(slot));
        }
    }
    endIfDone();
}

void BatchRunner::cancelJob(int slot)
{
    [](QPointer<BatchRunner> self, JobQueue *queue, QString jobId) -> QCoro::Task<void> {
        const auto cancelled = co_await queue->cancel(jobId);
        if (self && !cancelled) {
            console::err(
                    u"chatq batch: cannot cancel job %1: %2\n"_s.arg(jobId,
                                                                     cancelled.error().message));
        }
    }(this, m_slots[size_t(slot)].queue.get(), m_slots[size_t(slot)].jobId);
}

void BatchRunner::endIfDone()
{
    for (const Slot &slot : m_slots) {
        if (slot.item >= 0) {
            return;
        }
    }
    if (m_interrupted || m_next >= m_items.size()) {
        end();
    }
}

void BatchRunner::end()
{
    if (m_ended) {
        return;
    }
    m_ended = true;
    for (Slot &slot : m_slots) {
        if (slot.watcher) {
            slot.watcher->stop();
        }
    }
    Q_EMIT ended();
}
