#pragma once

#include "core/chat/chatreply.h"
#include "core/queue/jobqueue.h"

#include <QObject>
#include <QPointer>
#include <QString>

// Follows one job's event log from a position and reports what a reader shows: deltas of
// the latest attempt, resets when a new attempt starts over, and the final record.
// Lives in the thread of `queue`; never blocks it.
class JobWatcher : public QObject
{
    Q_OBJECT

public:
    JobWatcher(JobQueue *queue, QString jobId, QString afterEventId = {}, QObject *parent = nullptr);
    ~JobWatcher() override;

    void start();
    void stop();

    QString jobId() const;
    QString lastEventId() const;

    // Everything of the current attempt received so far.
    const ChatReply &reply() const;

Q_SIGNALS:
    void deltaReceived(const ChatDelta &delta);
    void resetReceived(int attempt); // discard what was shown: a new attempt starts over
    void statusChanged(JobStatus status);
    void finished(const JobRecord &record);
    void queueFailed(const QueueError &error);
};
