#pragma once

#include "core/chat/chatmessage.h"
#include "core/queue/jobrecord.h"
#include "core/store/historystore.h"
#include "ui/chat/conversationsettings.h"

#include <QCoroTask>

#include <QList>
#include <QObject>
#include <QPointer>

class ConversationView;
class HistoryRecorder;
class JobQueue;
class JobWatcher;
class MessageWidget;
struct QueueError;

// One conversation open in the window: its view, its stored turns and the answer it is
// streaming. The window keeps a session alive while its answer streams, whichever
// conversation it shows, so several conversations stream at once and switching never
// disturbs one.
//
// The store is the reference for the shape of the conversation (which versions exist and
// which are shown); the session writes every prompt and answer row itself, hands the answer
// to the HistoryRecorder to be written as it streams, and follows the job into its view.
// Turns that change the conversation (send, regenerate, edit, delete, paging versions)
// wait while an answer streams.
class ChatSession : public QObject
{
    Q_OBJECT

public:
    ChatSession(JobQueue *queue,
                HistoryStore *store,
                HistoryRecorder *recorder,
                ConversationSettings settings,
                QObject *parent = nullptr);
    ~ChatSession() override;

    ConversationView *view() const;

    // 0 until the first prompt creates the conversation.
    qint64 conversationId() const;

    // Shows a stored conversation and follows its answer if one is still running.
    void load(qint64 conversationId);

    ConversationSettings settings() const;
    void setSettings(const ConversationSettings &settings);

    bool isBusy() const;
    QString runningJobId() const;

    // What the next request would carry before the new prompt (no system prompt).
    QList<ChatMessage> context() const;

    // The turns shown now, oldest first, as stored.
    QList<HistoryMessage> path() const;
    bool hasMessage(qint64 messageId) const;

    // Sends a new prompt after the last turn.
    void send(const QString &prompt);

    // Sends `text` as a new version of user message `messageId`; the old version and the
    // answers under it stay reachable through the version pager.
    void editAndResend(qint64 messageId, const QString &text);

    // Asks again for answer `messageId`, as a new version beside it.
    void regenerate(qint64 messageId);

    void deleteMessage(qint64 messageId);

    // Shows the previous (-1) or next (+1) version of message `messageId`.
    void stepVersion(qint64 messageId, int step);

    // Asks the queue to cancel the running job; the partial answer stays.
    void stop();

    // The title a conversation gets from its first prompt: one line, at most about 40
    // characters.
    static QString titleFor(const QString &prompt);

    // How many turns are shown at first; earlier ones load on request.
    static constexpr int kInitialTurns = 24;

Q_SIGNALS:
    void busyChanged(bool busy);
    void statusChanged(const QString &text, bool isError);

    // The conversation got its id (first prompt) or its list entry changed (title, time).
    void conversationCreated(qint64 id);
    void conversationUpdated(qint64 id);

    void jobSubmitted(const QString &jobId);
    void jobFinished(const JobRecord &record);

    // A prompt could not be submitted; the window gives its text back to the user.
    void promptReturned(const QString &text);

    // The user asked to edit a message; the window puts its text in the composer.
    void editRequested(qint64 messageId, const QString &text);

private:
    enum class TurnKind {
        Append,     // a new prompt after the last turn
        EditPrompt, // a new version of a user message
        Regenerate, // a new version of an answer
    };

    struct Turn
    {
        TurnKind kind = TurnKind::Append;
        QString prompt;      // Append and EditPrompt
        qint64 anchorId = 0; // the edited user message, or the regenerated answer
    };

    QCoro::Task<void> submit(Turn turn);
    QList<ChatMessage> contextBefore(qsizetype index) const;
    Result<HistoryMessage, QString> storeTurn(const Turn &turn, const QString &jobId);
    Result<void, QString> ensureConversation(const QString &prompt);

    void reload();
    void showPath(QList<HistoryMessage> path);
    void showEarlier();
    MessageWidget *createWidget(const HistoryMessage &message);
    void followJob(const QString &jobId, MessageWidget *answer);
    void onJobFinished(const JobRecord &record);
    void onQueueFailed(const QueueError &error);
    void setBusy(bool busy);
    void updateActions();
    qsizetype indexOf(qint64 messageId) const;
    void fail(const QString &text);
    QCoro::Task<void> cancelJob(QString jobId);

    JobQueue *m_queue;
    HistoryStore *m_store;
    HistoryRecorder *m_recorder;
    ConversationSettings m_settings;
    ConversationView *m_view;

    qint64 m_conversationId = 0;
    QList<HistoryMessage> m_path;
    qsizetype m_firstShown = 0; // index in m_path of the first turn with a widget

    QPointer<JobWatcher> m_watcher;
    QPointer<MessageWidget> m_answer;
    qint64 m_answerId = 0;
    QString m_jobId;
    bool m_busy = false;
    bool m_stopRequested = false;
};
