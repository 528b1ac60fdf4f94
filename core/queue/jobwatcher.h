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
    JobWatcher(JobQueue *queue,
               QString jobId,
               QString afterEventId = {},
               QObject *parent = nullptr);
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

    // A request of the job failed and will be tried again (a rate limit, a server error…).
    void attemptFailed(const ChatError &error);

    void finished(const JobRecord &record);
    void queueFailed(const QueueError &error);

private:
    // Reads and reports events until the job ends, stop() is called or the watcher is gone.
    // `generation` ties the loop to one start(): a later stop() or start() ends it.
    QCoro::Task<void> follow(quint64 generation);

    // Applies one event; false when the loop must end (the watcher is gone or stopped).
    bool apply(const JobEvent &event, quint64 generation);

    bool isCurrent(quint64 generation) const { return m_generation == generation; }

    QPointer<JobQueue> m_queue;
    QString m_jobId;
    QString m_lastEventId;
    ChatReply m_reply;
    int m_attempt = 0;
    quint64 m_generation = 0;
    bool m_following = false;
};
