#pragma once

#include "core/queue/jobqueue.h"
#include "core/worker/deltacoalescer.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <chrono>

class ChatStream;

// The state of one job a worker thread is streaming, shared by the coroutine that runs
// the stream and the one that writes its events to the queue. Lives in the worker thread.
class JobRun : public QObject
{
    Q_OBJECT

public:
    JobRun(ClaimedJob job, std::chrono::milliseconds flushInterval, int flushBytes)
        : coalescer(flushInterval, flushBytes)
        , m_job(std::move(job))
    {
    }

    const ClaimedJob &job() const { return m_job; }

    // Stops the stream if it runs; one that has not started yet sees the flags first.
    void abortStream();

    DeltaCoalescer coalescer;
    QList<JobEvent> extraEvents; // written with the next flush (retry notices)
    QPointer<ChatStream> stream;

    qint64 startedAtMs = 0;
    qint64 firstTokenAtMs = 0;
    qint64 firstContentAtMs = 0;
    bool streamDone = false;
    bool cancelRequested = false; // someone cancelled the job: it ends cancelled
    bool handBack = false;        // the worker stops: the job goes back to the queue
    bool leaseLost = false;       // another worker owns the job now: write nothing more

Q_SIGNALS:
    // Something for the event writer to look at: deltas pending, the stream ended.
    void wake();

private:
    ClaimedJob m_job;
};
