#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <chrono>

class HistoryStore;
class JobQueue;
class JobWatcher;
struct JobRecord;
struct QueueError;

// Writes answers into the history as they stream, independent of what any window shows:
// each recorded job has its own JobWatcher, and the text so far is written to its message
// at most once per flush interval, so a crash loses at most the last interval. The final
// record (status, text, reasoning, usage, timings, error) is written when the job ends.
// Lives in the thread of `queue` and `store`; both must outlive the recorder.
class HistoryRecorder : public QObject
{
    Q_OBJECT

public:
    HistoryRecorder(JobQueue *queue,
                    HistoryStore *store,
                    std::chrono::milliseconds flushInterval = std::chrono::milliseconds(100),
                    QObject *parent = nullptr);
    ~HistoryRecorder() override;

    // Follows `jobId` from the start of its log into message `messageId`.
    void record(const QString &jobId, qint64 messageId);

    // Follows again every answer whose job had not ended when it was last written, as after
    // a restart. Returns how many.
    int resumeUnfinished();

    bool isRecording(qint64 messageId) const;

Q_SIGNALS:
    // The answer's final state is in the store.
    void messageFinished(qint64 conversationId, qint64 messageId);

private:
    struct Recording
    {
        QPointer<JobWatcher> watcher;
        QString status;
        bool dirty = false;
    };

    void flush();
    void onFinished(qint64 messageId, const JobRecord &record);
    void onQueueFailed(qint64 messageId, const QueueError &error);
    void markDirty(qint64 messageId);
    void end(qint64 messageId);

    JobQueue *m_queue;
    HistoryStore *m_store;
    QTimer m_flushTimer;
    QHash<qint64, Recording> m_recordings;
};
