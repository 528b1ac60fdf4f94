#pragma once

#include "app/chatq/askoptions.h"
#include "core/chat/chatreply.h"
#include "core/queue/jobrecord.h"
#include "core/queue/queueerror.h"

#include <QCoroTask>
#include <QObject>

#include <memory>

class InterruptWatcher;
class JobQueue;
class JobWatcher;
class QueueBackend;
class WorkerPool;

// `chatq ask`: submits one job, streams its answer to stdout as it arrives, and resolves to
// the exit status: 0 succeeded, 1 failed, 130 interrupted.
class AskCommand : public QObject
{
    Q_OBJECT

public:
    AskCommand(AskOptions options, InterruptWatcher *interrupts, QObject *parent = nullptr);
    ~AskCommand() override;

    QCoro::Task<int> run();

Q_SIGNALS:
    void ended();

private:
    void onDelta(const ChatDelta &delta);
    void onReset(int attempt);
    void onFinished(const JobRecord &record);
    void onQueueFailed(const QueueError &error);
    void onInterrupted();
    int exitStatusFor(const JobRecord &record) const;

    AskOptions m_options;
    InterruptWatcher *m_interrupts = nullptr;
    std::shared_ptr<QueueBackend> m_backend;
    std::unique_ptr<WorkerPool> m_pool;
    std::unique_ptr<JobQueue> m_queue;
    JobWatcher *m_watcher = nullptr;
    QString m_jobId;
    int m_exitStatus = 1;
    bool m_ended = false;
};
