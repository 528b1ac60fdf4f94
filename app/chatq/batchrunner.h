#pragma once

#include "app/chatq/batchinput.h"
#include "core/queue/jobrecord.h"
#include "core/queue/queueerror.h"

#include <QCoroTask>

#include <QHash>
#include <QList>
#include <QObject>

#include <memory>
#include <vector>

class BatchOutput;
class InterruptWatcher;
class JobQueue;
class JobWatcher;
class QueueBackend;

// Runs the requests of `chatq batch` as jobs, at most `concurrency` at once, and writes one
// result line per request as it ends, in the order they end. Each job in flight has its own
// queue connection, so that one job's wait for events never holds up another's.
//
// The first interrupt cancels every job in flight and starts no more; the jobs it
// cancelled leave no result line, so that a resumed run does them again. A second
// interrupt stops waiting for them.
class BatchRunner : public QObject
{
    Q_OBJECT

public:
    BatchRunner(QueueBackend *backend,
                QList<BatchItem> items,
                int concurrency,
                BatchOutput *output,
                InterruptWatcher *interrupts,
                QObject *parent = nullptr);
    ~BatchRunner() override;

    void start();
    bool hasEnded() const { return m_ended; }

    int succeeded() const { return m_succeeded; }
    int failed() const { return m_failed; }
    int invalid() const { return m_invalid; }
    bool interrupted() const { return m_interrupted; }
    bool outputFailed() const { return m_outputFailed; }

Q_SIGNALS:
    void ended();

private:
    struct Slot
    {
        std::unique_ptr<JobQueue> queue;
        JobWatcher *watcher = nullptr;
        QString jobId; // empty while the job is being submitted
        int item = -1; // index into m_items; -1 when the slot is free
    };

    void fillSlots();
    QCoro::Task<void> submit(int slot);
    void onFinished(int slot, const JobRecord &record);
    void onQueueFailed(int slot, const QueueError &error);
    void release(int slot);
    void writeResult(const BatchItem &item, QJsonObject result);
    void onInterrupted();
    void cancelJob(int slot);
    void endIfDone();
    void end();

    QueueBackend *m_backend = nullptr;
    QList<BatchItem> m_items;
    BatchOutput *m_output = nullptr;
    InterruptWatcher *m_interrupts = nullptr;
    std::vector<Slot> m_slots;
    qsizetype m_next = 0;
    int m_succeeded = 0;
    int m_failed = 0;
    int m_invalid = 0;
    bool m_interrupted = false;
    bool m_outputFailed = false;
    bool m_ended = false;
};
