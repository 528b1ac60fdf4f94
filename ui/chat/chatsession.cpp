#include "ui/chat/chatsession.h"

#include "core/queue/jobqueue.h"
#include "core/queue/jobwatcher.h"
#include "core/store/historyrecorder.h"
#include "ui/chat/answerstats.h"
#include "ui/chat/conversationview.h"
#include "ui/chat/messagewidget.h"
#include "ui/queue/jobtablemodel.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcChatWindow)

namespace {

constexpr qsizetype kTitleLength = 40;
constexpr qsizetype kEarlierTurns = 60;

QString shortId(const QString &jobId)
{
    return jobId.left(8);
}

bool isFinalStatusName(const QString &name)
{
    const std::optional<JobStatus> status = jobStatusFromName(name);
    return !status || isFinalStatus(*status);
}

// Two rows show the same thing when they are the same message in the same version set.
bool sameTurn(const HistoryMessage &a, const HistoryMessage &b)
{
    return a.id == b.id && a.versionIndex == b.versionIndex && a.versionCount == b.versionCount;
}

} // namespace

ChatSession::ChatSession(JobQueue *queue,
                         HistoryStore *store,
                         HistoryRecorder *recorder,
                         ConversationSettings settings,
                         QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_store(store)
    , m_recorder(recorder)
    , m_settings(std::move(settings))
    , m_view(new ConversationView)
{
    connect(m_view, &ConversationView::earlierRequested, this, &ChatSession::showEarlier);
}

ChatSession::~ChatSession()
{
    // The job goes on in the queue (and in the history); only this view of it ends.
    delete m_watcher;
    delete m_view;
}

ConversationView *ChatSession::view() const
{
    return m_view;
}

qint64 ChatSession::conversationId() const
{
    return m_conversationId;
}

ConversationSettings ChatSession::settings() const
{
    return m_settings;
}

void ChatSession::setSettings(const ConversationSettings &settings)
{
    m_settings = settings;
    if (m_conversationId == 0) {
        return;
    }
    const auto stored = m_store->setConversationSettings(m_conversationId,
                                                         settings.profile,
                                                         settings.model,
                                                         settings.systemPrompt,
                                                         settings.parametersJson());
    if (!stored) {
        fail(tr("The conversation's settings could not be saved: %1").arg(stored.error()));
    }
}

bool ChatSession::isBusy() const
{
    return m_busy;
}

QString ChatSession::runningJobId() const
{
    return m_jobId;
}

QList<HistoryMessage> ChatSession::path() const
{
    return m_path;
}

QList<ChatMessage> ChatSession::context() const
{
    return contextBefore(m_path.size());
}

QList<ChatMessage> ChatSession::contextBefore(qsizetype index) const
{
    QList<ChatMessage> messages;
    for (qsizetype i = 0; i < index && i < m_path.size(); ++i) {
        const HistoryMessage &message = m_path.at(i);
        if (message.role == u"user"_s) {
            messages.append(ChatMessage{message.role, message.content, {}});
            continue;
        }

        // A failed answer is not the assistant's words, and an empty one says nothing; a
        // stopped answer counts as far as it got.
        if (message.content.isEmpty() || message.status == jobStatusName(JobStatus::Failed)) {
            continue;
        }
        messages.append(ChatMessage{message.role, message.content, message.reasoning});
    }
    return messages;
}

bool ChatSession::hasMessage(qint64 messageId) const
{
    return indexOf(messageId) >= 0;
}

qsizetype ChatSession::indexOf(qint64 messageId) const
{
    for (qsizetype i = 0; i < m_path.size(); ++i) {
        if (m_path.at(i).id == messageId) {
            return i;
        }
    }
    return -1;
}

void ChatSession::load(qint64 conversationId)
{
    const std::optional<Conversation> conversation = m_store->conversation(conversationId);
    if (!conversation) {
        fail(tr("The conversation is no longer in the history."));
        return;
    }
    m_conversationId = conversationId;

    // Fields a conversation does not set keep the defaults the session was made with.
    if (!conversation->profile.isEmpty()) {
        m_settings.profile = conversation->profile;
    }
    if (!conversation->model.isEmpty()) {
        m_settings.model = conversation->model;
    }
    m_settings.systemPrompt = conversation->systemPrompt;
    m_settings.readParameters(conversation->parameters);

    reload();

    // An answer whose job has not ended is followed again from the start of its log, so
    // it keeps growing here: after switching back, or after the app restarted.
    if (!m_path.isEmpty()) {
        const HistoryMessage &last = m_path.constLast();
        if (last.role == u"assistant"_s && !last.jobId.isEmpty()
            && !isFinalStatusName(last.status)) {
            const QList<MessageWidget *> widgets = m_view->messages();
            m_answerId = last.id;
            setBusy(true);
            followJob(last.jobId, widgets.isEmpty() ? nullptr : widgets.constLast());
        }
    }
}

void ChatSession::send(const QString &prompt)
{
    if (m_busy || prompt.trimmed().isEmpty()) {
        return;
    }
    submit(Turn{TurnKind::Append, prompt, 0});
}

void ChatSession::editAndResend(qint64 messageId, const QString &text)
{
    const qsizetype index = indexOf(messageId);
    if (m_busy || index < 0 || m_path.at(index).role != u"user"_s || text.trimmed().isEmpty()) {
        return;
    }
    submit(Turn{TurnKind::EditPrompt, text, messageId});
}

void ChatSession::regenerate(qint64 messageId)
{
    const qsizetype index = indexOf(messageId);
    if (m_busy || index < 1 || m_path.at(index).role != u"assistant"_s) {
        return;
    }
    submit(Turn{TurnKind::Regenerate, {}, messageId});
}

QCoro::Task<void> ChatSession::submit(Turn turn)
{
    QPointer<ChatSession> self(this);
    qsizetype cut = m_path.size();
    if (turn.kind != TurnKind::Append) {
        cut = indexOf(turn.anchorId);
    }

    ChatRequest request;
    m_settings.applyTo(request);
    if (request.model.isEmpty()) {
        fail(tr("Choose a model for this conversation first."));
        if (!turn.prompt.isEmpty()) {
            Q_EMIT promptReturned(turn.prompt);
        }
        co_return;
    }
    if (!m_settings.systemPrompt.trimmed().isEmpty()) {
        request.messages.append(ChatMessage{u"system"_s, m_settings.systemPrompt, {}});
    }
    request.messages.append(contextBefore(cut));
    if (turn.kind != TurnKind::Regenerate) {
        request.messages.append(ChatMessage{u"user"_s, turn.prompt, {}});
    }

    setBusy(true);
    Q_EMIT statusChanged(tr("Submitting…"), false);
    const auto submitted = co_await m_queue->submit(std::move(request));
    if (!self) {
        co_return;
    }
    if (!submitted) {
        setBusy(false);
        onQueueFailed(submitted.error());
        if (!turn.prompt.isEmpty()) {
            Q_EMIT promptReturned(turn.prompt);
        }
        co_return;
    }

    const QString jobId = *submitted;
    const auto answer = storeTurn(turn, jobId);
    if (!answer) {
        // Without a row the answer would stream nowhere the user can find it again.
        qCWarning(lcChatWindow) << "cannot store the turn:" << answer.error();
        cancelJob(jobId);
        setBusy(false);
        fail(tr("The conversation could not be saved: %1").arg(answer.error()));
        if (!turn.prompt.isEmpty()) {
            Q_EMIT promptReturned(turn.prompt);
        }
        co_return;
    }
    m_recorder->record(jobId, answer->id);
    Q_EMIT jobSubmitted(jobId);
    Q_EMIT conversationUpdated(m_conversationId);

    reload();
    m_answerId = answer->id;
    const QList<MessageWidget *> widgets = m_view->messages();
    followJob(jobId, widgets.isEmpty() ? nullptr : widgets.constLast());
}

Result<void, QString> ChatSession::ensureConversation(const QString &prompt)
{
    if (m_conversationId != 0) {
        return {};
    }
    const auto created = m_store->createConversation(titleFor(prompt),
                                                     m_settings.systemPrompt,
                                                     m_settings.model);
    if (!created) {
        return created.error();
    }
    m_conversationId = created->id;
    const auto stored = m_store->setConversationSettings(m_conversationId,
                                                         m_settings.profile,
                                                         m_settings.model,
                                                         m_settings.systemPrompt,
                                                         m_settings.parametersJson());
    if (!stored) {
        qCWarning(lcChatWindow) << "cannot store the conversation's settings:" << stored.error();
    }
    Q_EMIT conversationCreated(m_conversationId);
    return {};
}

Result<HistoryMessage, QString> ChatSession::storeTurn(const Turn &turn, const QString &jobId)
{
    using Stored = Result<HistoryMessage, QString>;
    if (const auto created = ensureConversation(turn.prompt); !created) {
        return created.error();
    }

    HistoryMessage answer;
    answer.conversationId = m_conversationId;
    answer.role = u"assistant"_s;
    answer.jobId = jobId;
    answer.status = jobStatusName(JobStatus::Queued);

    if (turn.kind == TurnKind::Regenerate) {
        const qsizetype index = indexOf(turn.anchorId);
        if (index < 0) {
            return tr("The answer to regenerate is gone.");
        }
        return m_store->addReply(answer, m_path.at(index).parentId);
    }

    HistoryMessage question;
    question.conversationId = m_conversationId;
    question.role = u"user"_s;
    question.content = turn.prompt;
    qint64 questionParent = 0;
    if (turn.kind == TurnKind::EditPrompt) {
        const qsizetype index = indexOf(turn.anchorId);
        if (index < 0) {
            return tr("The message to edit is gone.");
        }
        questionParent = m_path.at(index).parentId;
    }
    const Stored storedQuestion = turn.kind == TurnKind::Append
                                          ? m_store->addMessage(question)
                                          : m_store->addReply(question, questionParent);
    if (!storedQuestion) {
        return storedQuestion;
    }
    return m_store->addReply(answer, storedQuestion->id);
}

void ChatSession::deleteMessage(qint64 messageId)
{
    if (m_busy || indexOf(messageId) < 0) {
        return;
    }
    if (const auto deleted = m_store->deleteMessage(messageId); !deleted) {
        fail(tr("The message could not be deleted: %1").arg(deleted.error()));
        return;
    }
    reload();
    Q_EMIT statusChanged(tr("Message deleted."), false);
    Q_EMIT conversationUpdated(m_conversationId);
}

void ChatSession::stepVersion(qint64 messageId, int step)
{
    if (m_busy) {
        return;
    }
    const QList<HistoryMessage> versions = m_store->versions(messageId);
    qsizetype index = -1;
    for (qsizetype i = 0; i < versions.size(); ++i) {
        if (versions.at(i).id == messageId) {
            index = i;
        }
    }
    const qsizetype target = index + step;
    if (index < 0 || target < 0 || target >= versions.size()) {
        return;
    }
    if (const auto selected = m_store->selectVersion(versions.at(target).id); !selected) {
        fail(tr("The version could not be shown: %1").arg(selected.error()));
        return;
    }
    reload();
}

void ChatSession::reload()
{
    showPath(m_conversationId == 0 ? QList<HistoryMessage>() : m_store->messages(m_conversationId));
}

void ChatSession::showPath(QList<HistoryMessage> path)
{
    // Turns up to the first difference keep their widgets (and what streamed into them);
    // the rest is built again.
    qsizetype same = 0;
    while (same < m_path.size() && same < path.size() && sameTurn(m_path.at(same), path.at(same))) {
        path[same] = m_path.at(same);
        ++same;
    }

    if (m_path.isEmpty()) {
        m_firstShown = std::max<qsizetype>(0, path.size() - kInitialTurns);
    }
    const qsizetype keep = std::max(same, m_firstShown);
    m_view->removeMessagesFrom(static_cast<int>(keep - m_firstShown));
    m_path = std::move(path);
    m_firstShown = std::min(m_firstShown, m_path.size());
    for (qsizetype i = keep; i < m_path.size(); ++i) {
        m_view->addMessage(createWidget(m_path.at(i)));
    }
    m_view->setEarlierCount(static_cast<int>(m_firstShown));
    updateActions();
}

void ChatSession::showEarlier()
{
    const qsizetype first = std::max<qsizetype>(0, m_firstShown - kEarlierTurns);
    QList<MessageWidget *> widgets;
    for (qsizetype i = first; i < m_firstShown; ++i) {
        widgets.append(createWidget(m_path.at(i)));
    }
    m_view->prependMessages(widgets);
    m_firstShown = first;
    m_view->setEarlierCount(static_cast<int>(m_firstShown));
    updateActions();
}

MessageWidget *ChatSession::createWidget(const HistoryMessage &message)
{
    const bool isUser = message.role == u"user"_s;
    auto *widget =
            new MessageWidget(isUser ? MessageWidget::Role::User : MessageWidget::Role::Assistant);
    widget->setMessageId(message.id);
    widget->setVersions(message.versionIndex, message.versionCount);

    const qint64 id = message.id;
    connect(widget, &MessageWidget::copied, this, [this] {
        Q_EMIT statusChanged(tr("Copied to the clipboard."), false);
    });
    connect(widget, &MessageWidget::deleteRequested, this, [this, id] { deleteMessage(id); });
    connect(widget, &MessageWidget::versionStepRequested, this, [this, id](int step) {
        stepVersion(id, step);
    });
    if (isUser) {
        widget->setPrompt(message.content);
        connect(widget, &MessageWidget::editRequested, this, [this, id] {
            const qsizetype index = indexOf(id);
            if (index >= 0) {
                Q_EMIT editRequested(id, m_path.at(index).content);
            }
        });
        return widget;
    }
    connect(widget, &MessageWidget::regenerateRequested, this, [this, id] { regenerate(id); });

    widget->showStored(message.content, message.reasoning);

    const AnswerTimes times = AnswerTimes::fromTimings(message.timings);
    widget->setReasoningDuration(AnswerStats::reasoningDuration(times));
    const std::optional<JobStatus> status = jobStatusFromName(message.status);
    if (status == JobStatus::Succeeded || status == JobStatus::Cancelled) {
        widget->setStats(AnswerStats::describe(Usage::fromJson(message.usage), times));
    }
    if (status == JobStatus::Cancelled) {
        widget->setFooter(tr("Stopped. The answer is incomplete."));
    } else if (status == JobStatus::Failed) {
        const QJsonObject error = message.timings.value(u"error"_s).toObject();
        widget->setFooter(error.isEmpty() ? tr("The request failed.")
                                          : chatErrorFromJson(error).toDisplayString(),
                          true);
    } else if (status && !isFinalStatus(*status)) {
        widget->setFooter(tr("Queued…"));
    }
    return widget;
}

void ChatSession::followJob(const QString &jobId, MessageWidget *answer)
{
    m_jobId = jobId;
    m_answer = answer;
    qCInfo(lcChatWindow) << "following job" << jobId;
    Q_EMIT statusChanged(tr("Job %1: queued").arg(shortId(jobId)), false);
    if (answer) {
        // The log replays from its start, so the widget starts empty.
        answer->restart();
        answer->setFooter(tr("Queued…"));
    }

    m_watcher = new JobWatcher(m_queue, jobId, {}, this);
    connect(m_watcher, &JobWatcher::deltaReceived, this, [this](const ChatDelta &delta) {
        if (m_answer) {
            m_answer->appendDelta(delta);
        }
    });
    connect(m_watcher, &JobWatcher::resetReceived, this, [this](int) {
        if (m_answer) {
            m_answer->restart();
        }
    });
    connect(m_watcher, &JobWatcher::statusChanged, this, [this, jobId](JobStatus status) {
        Q_EMIT statusChanged(
                tr("Job %1: %2").arg(shortId(jobId), JobTableModel::statusText(status)),
                false);
        if (m_answer && status == JobStatus::Running) {
            m_answer->setFooter(QString());
        }
    });
    connect(m_watcher, &JobWatcher::attemptFailed, this, [this](const ChatError &error) {
        if (m_answer) {
            m_answer->setFooter(tr("Trying again: %1").arg(error.toDisplayString()));
        }
    });
    connect(m_watcher, &JobWatcher::finished, this, &ChatSession::onJobFinished);
    connect(m_watcher, &JobWatcher::queueFailed, this, &ChatSession::onQueueFailed);
    m_watcher->start();

    if (m_stopRequested) {
        cancelJob(jobId);
    }
}

void ChatSession::stop()
{
    if (!m_busy || m_stopRequested) {
        return;
    }
    m_stopRequested = true;
    Q_EMIT statusChanged(tr("Stopping…"), false);
    if (!m_jobId.isEmpty()) {
        cancelJob(m_jobId);
    }
}

QCoro::Task<void> ChatSession::cancelJob(QString jobId)
{
    QPointer<ChatSession> self(this);
    const auto cancelled = co_await m_queue->cancel(jobId);
    if (self && !cancelled) {
        onQueueFailed(cancelled.error());
    }
}

void ChatSession::onJobFinished(const JobRecord &record)
{
    qCInfo(lcChatWindow) << "job" << record.id << "ended" << jobStatusName(record.status);
    const AnswerTimes times = AnswerTimes::of(record);
    if (m_answer) {
        m_answer->finish(record);
        if (record.status == JobStatus::Cancelled) {
            m_answer->setFooter(tr("Stopped. The answer is incomplete."));
        } else if (record.error) {
            m_answer->setFooter(record.error->toDisplayString(), true);
        } else {
            m_answer->setFooter(QString());
        }
        if (record.status != JobStatus::Failed) {
            m_answer->setStats(AnswerStats::describe(record.usage, times));
        }
        if (record.firstContentAtMs > 0) {
            m_answer->setReasoningDuration(AnswerStats::reasoningDuration(times));
        }
    }

    // The recorder writes the same into the store; the session's copy is what the next
    // request is built from, whichever of the two hears of the end first.
    if (const qsizetype index = indexOf(m_answerId); index >= 0) {
        HistoryMessage &message = m_path[index];
        message.content = record.content;
        message.reasoning = record.reasoning;
        message.status = jobStatusName(record.status);
        message.usage = record.usage.known ? record.usage.toJson() : QJsonObject();
    }

    QString summary =
            tr("Job %1: %2").arg(shortId(record.id), JobTableModel::statusText(record.status));
    const QString figures = AnswerStats::describe(record.usage, times);
    if (!figures.isEmpty()) {
        summary += u" · "_s + figures;
    }
    if (record.status == JobStatus::Failed && record.error) {
        Q_EMIT statusChanged(summary + u" — "_s + record.error->toDisplayString(), true);
    } else {
        Q_EMIT statusChanged(summary, false);
    }

    if (m_watcher) {
        m_watcher->deleteLater();
    }
    m_jobId.clear();
    setBusy(false);
    Q_EMIT jobFinished(record);
    Q_EMIT conversationUpdated(m_conversationId);
}

void ChatSession::onQueueFailed(const QueueError &error)
{
    qCWarning(lcChatWindow) << "queue failed:" << error.message;
    const QString text = tr("The queue failed: %1").arg(error.message);
    Q_EMIT statusChanged(text, true);
    if (m_answer) {
        m_answer->setFooter(text, true);
    }

    // An unreachable queue may come back and the watcher keeps trying; any other failure
    // (the job is gone, a malformed entry) ends following the job.
    if (error.kind != QueueError::Kind::Unavailable) {
        if (m_watcher) {
            m_watcher->stop();
            m_watcher->deleteLater();
        }
        m_jobId.clear();
        setBusy(false);
    }
}

void ChatSession::fail(const QString &text)
{
    Q_EMIT statusChanged(text, true);
}

void ChatSession::setBusy(bool busy)
{
    if (!busy) {
        m_stopRequested = false;
    }
    if (m_busy == busy) {
        return;
    }
    m_busy = busy;
    updateActions();
    Q_EMIT busyChanged(busy);
}

void ChatSession::updateActions()
{
    const QList<MessageWidget *> widgets = m_view->messages();
    for (MessageWidget *widget : widgets) {
        widget->setActionsEnabled(!m_busy);
    }
}

QString ChatSession::titleFor(const QString &prompt)
{
    const QString line = prompt.simplified();
    if (line.size() <= kTitleLength) {
        return line;
    }

    // Never cut between the two halves of a character outside the BMP (an emoji).
    qsizetype cut = kTitleLength - 1;
    if (line.at(cut - 1).isHighSurrogate()) {
        --cut;
    }
    return line.left(cut).trimmed() + u'…';
}
