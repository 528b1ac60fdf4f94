#include "core/store/historyrecorder.h"

#include "core/queue/jobrecord.h"
#include "core/queue/jobwatcher.h"
#include "core/queue/queueerror.h"
#include "core/store/historystore.h"

#include <QJsonObject>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcHistory)

namespace {

QJsonObject timingsOf(const JobRecord &record)
{
    QJsonObject timings{
            {u"submitted_at_ms"_s, record.submittedAtMs},
            {u"started_at_ms"_s, record.startedAtMs},
            {u"first_token_at_ms"_s, record.firstTokenAtMs},
            {u"first_content_at_ms"_s, record.firstContentAtMs},
            {u"finished_at_ms"_s, record.finishedAtMs},
    };
    if (record.error) {
        timings.insert(u"error"_s, chatErrorToJson(*record.error));
    }
    return timings;
}

} // namespace

HistoryRecorder::HistoryRecorder(JobQueue *queue,
                                 HistoryStore *store,
                                 std::chrono::milliseconds flushInterval,
                                 QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_store(store)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(flushInterval);
    connect(&m_flushTimer, &QTimer::timeout, this, &HistoryRecorder::flush);
}

HistoryRecorder::~HistoryRecorder()
{
    // What arrived since the last flush is written before the watchers go.
    flush();
    for (const Recording &recording : std::as_const(m_recordings)) {
        delete recording.watcher;
    }
}

void HistoryRecorder::record(const QString &jobId, qint64 messageId)
{
    if (m_recordings.contains(messageId)) {
        return;
    }
    auto *watcher = new JobWatcher(m_queue, jobId, {}, this);
    m_recordings.insert(messageId, Recording{watcher, u"queued"_s, false});

    connect(watcher, &JobWatcher::deltaReceived, this, [this, messageId] { markDirty(messageId); });
    connect(watcher, &JobWatcher::resetReceived, this, [this, messageId] { markDirty(messageId); });
    connect(watcher, &JobWatcher::statusChanged, this, [this, messageId](JobStatus status) {
        auto it = m_recordings.find(messageId);
        if (it != m_recordings.end() && !isFinalStatus(status)) {
            it->status = jobStatusName(status);
            markDirty(messageId);
        }
    });
    connect(watcher, &JobWatcher::finished, this, [this, messageId](const JobRecord &record) {
        onFinished(messageId, record);
    });
    connect(watcher, &JobWatcher::queueFailed, this, [this, messageId](const QueueError &error) {
        onQueueFailed(messageId, error);
    });
    watcher->start();
}

int HistoryRecorder::resumeUnfinished()
{
    const QList<HistoryMessage> unfinished = m_store->unfinishedMessages();
    for (const HistoryMessage &message : unfinished) {
        record(message.jobId, message.id);
    }
    return static_cast<int>(unfinished.size());
}

bool HistoryRecorder::isRecording(qint64 messageId) const
{
    return m_recordings.contains(messageId);
}

void HistoryRecorder::markDirty(qint64 messageId)
{
    auto it = m_recordings.find(messageId);
    if (it == m_recordings.end()) {
        return;
    }
    it->dirty = true;
    if (!m_flushTimer.isActive()) {
        m_flushTimer.start();
    }
}

void HistoryRecorder::flush()
{
    for (auto it = m_recordings.begin(); it != m_recordings.end(); ++it) {
        if (!it->dirty || !it->watcher) {
            continue;
        }
        it->dirty = false;
        const ChatReply &reply = it->watcher->reply();
        const auto written =
                m_store->updateMessage(it.key(), reply.content, reply.reasoning, it->status);
        if (!written) {
            qCWarning(lcHistory) << "cannot write a streaming answer:" << written.error();
        }
    }
}

void HistoryRecorder::onFinished(qint64 messageId, const JobRecord &record)
{
    std::optional<HistoryMessage> message = m_store->message(messageId);
    if (message) {
        message->content = record.content;
        message->reasoning = record.reasoning;
        message->status = jobStatusName(record.status);
        message->usage = record.usage.known ? record.usage.toJson() : QJsonObject();
        message->timings = timingsOf(record);
        if (const auto written = m_store->finishMessage(*message); !written) {
            qCWarning(lcHistory) << "cannot write a finished answer:" << written.error();
        }
    }
    end(messageId);
    if (message) {
        Q_EMIT messageFinished(message->conversationId, messageId);
    }
}

void HistoryRecorder::onQueueFailed(qint64 messageId, const QueueError &error)
{
    // An unreachable queue may come back and the watcher keeps trying; a job the queue no
    // longer knows can never finish, so its answer is kept as far as it got and failed.
    if (error.kind == QueueError::Kind::Unavailable) {
        return;
    }
    auto it = m_recordings.find(messageId);
    if (it == m_recordings.end()) {
        return;
    }
    qCWarning(lcHistory) << "an answer's job cannot be followed:" << error.message;
    it->status = jobStatusName(JobStatus::Failed);
    it->dirty = true;
    flush();

    const std::optional<HistoryMessage> message = m_store->message(messageId);
    end(messageId);
    if (message) {
        Q_EMIT messageFinished(message->conversationId, messageId);
    }
}

void HistoryRecorder::end(qint64 messageId)
{
    const Recording recording = m_recordings.take(messageId);
    if (recording.watcher) {
        recording.watcher->stop();
        recording.watcher->deleteLater();
    }
}
