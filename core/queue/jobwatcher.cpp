#include "core/queue/jobwatcher.h"

#include "core/queue/queuelog.h"

#include <QCoroTimer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// How long one read waits for news; the loop reads again right after, so this only bounds
// how long an abandoned read lingers in the queue.
constexpr std::chrono::milliseconds kReadWait = 2s;

// Pause before trying again after the backend became unreachable.
constexpr std::chrono::milliseconds kRetryDelay = 1s;

} // namespace

JobWatcher::JobWatcher(JobQueue *queue, QString jobId, QString afterEventId, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_jobId(std::move(jobId))
    , m_lastEventId(std::move(afterEventId))
{
}

JobWatcher::~JobWatcher()
{
    // A loop suspended in the queue finds the watcher gone through its QPointer.
    ++m_generation;
}

void JobWatcher::start()
{
    if (m_following) {
        return;
    }
    m_following = true;
    follow(++m_generation);
}

void JobWatcher::stop()
{
    m_following = false;
    ++m_generation;
}

QString JobWatcher::jobId() const
{
    return m_jobId;
}

QString JobWatcher::lastEventId() const
{
    return m_lastEventId;
}

const ChatReply &JobWatcher::reply() const
{
    return m_reply;
}

QCoro::Task<void> JobWatcher::follow(quint64 generation)
{
    QPointer<JobWatcher> self(this);
    bool failing = false;
    while (self && isCurrent(generation)) {
        QPointer<JobQueue> queue = m_queue;
        if (!queue) {
            co_return;
        }

        const QueueResult<QList<JobEvent>> events
                = co_await queue->readEvents(m_jobId, m_lastEventId, kReadWait);
        if (!self || !isCurrent(generation)) {
            co_return;
        }

        if (!events) {
            // An unreachable backend may come back; a missing job or a bad position won't.
            qCWarning(lcQueue) << "Reading job" << m_jobId << "failed:" << events.error().message;
            if (!failing) {
                failing = true;
                Q_EMIT queueFailed(events.error());
            }
            if (!self || events.error().kind != QueueError::Kind::Unavailable) {
                break;
            }
            co_await QCoro::sleepFor(kRetryDelay);
            continue;
        }
        failing = false;

        for (const JobEvent &event : *events) {
            if (!apply(event, generation)) {
                co_return;
            }
            if (event.type != JobEvent::Type::Done) {
                continue;
            }

            // The log ends here; the record holds the whole answer and the timings.
            const QueueResult<JobRecord> record = co_await queue->record(m_jobId);
            if (!self || !isCurrent(generation)) {
                co_return;
            }
            m_following = false;
            if (!record) {
                Q_EMIT queueFailed(record.error());
                co_return;
            }
            Q_EMIT finished(*record);
            co_return;
        }
    }

    if (self && isCurrent(generation)) {
        m_following = false;
    }
}

bool JobWatcher::apply(const JobEvent &event, quint64 generation)
{
    QPointer<JobWatcher> self(this);
    m_lastEventId = event.id;

    // Events of a superseded attempt are stale; the end of the job never is.
    if (event.type != JobEvent::Type::Done && event.attempt < m_attempt) {
        return true;
    }

    if (event.type == JobEvent::Type::Reset || (m_attempt > 0 && event.attempt > m_attempt)) {
        m_attempt = std::max(m_attempt, event.attempt);
        m_reply = ChatReply();
        Q_EMIT resetReceived(m_attempt);
        if (!self || !isCurrent(generation)) {
            return false;
        }
    }
    m_attempt = std::max(m_attempt, event.attempt);

    switch (event.type) {
    case JobEvent::Type::Delta:
        m_reply.apply(event.delta);
        Q_EMIT deltaReceived(event.delta);
        break;
    case JobEvent::Type::Status:
    case JobEvent::Type::Done:
        Q_EMIT statusChanged(event.status);
        break;
    case JobEvent::Type::Error:
        if (event.error) {
            Q_EMIT attemptFailed(*event.error);
        }
        break;
    case JobEvent::Type::Reset:
        break;
    }
    return self && isCurrent(generation);
}
