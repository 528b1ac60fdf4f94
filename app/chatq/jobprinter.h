#pragma once

#include "core/chat/chatreply.h"
#include "core/queue/jobrecord.h"
#include "core/queue/queueerror.h"

#include <QObject>
#include <QString>

class InterruptWatcher;
class JobQueue;
class JobWatcher;

// Prints one job's answer as it streams, the way `ask` and `watch` show it, and reports the
// exit status once the job ends: 0 succeeded, 1 failed or cancelled elsewhere, 130
// interrupted. On Ctrl+C it either cancels the job (ask) or only stops watching (watch).
class JobPrinter : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        bool printReasoning = false;
        bool printJson = false;
        bool cancelOnInterrupt = true;
        QString afterEventId; // empty: from the start of the log
    };

    JobPrinter(JobQueue *queue,
               QString jobId,
               Options options,
               InterruptWatcher *interrupts,
               QObject *parent = nullptr);

    void start();
    bool hasEnded() const;
    int exitStatus() const;

Q_SIGNALS:
    void ended();

private:
    void onDelta(const ChatDelta &delta);
    void onReset(int attempt);
    void onAttemptFailed(const ChatError &error);
    void endReasoningLine();
    void onFinished(const JobRecord &record);
    void onQueueFailed(const QueueError &error);
    void onInterrupted();
    void end(int status);

    JobQueue *m_queue = nullptr;
    QString m_jobId;
    Options m_options;
    InterruptWatcher *m_interrupts = nullptr;
    JobWatcher *m_watcher = nullptr;
    bool m_printedAnything = false;
    bool m_reasoningLineOpen = false; // reasoning went to stderr without a final newline
    bool m_ended = false;
    int m_exitStatus = 1;
};
