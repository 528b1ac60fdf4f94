#pragma once

#include "core/chat/chatmessage.h"
#include "core/queue/jobrecord.h"
#include "ui/chat/conversationsettings.h"

#include <QCoroTask>

#include <QHash>
#include <QList>
#include <QMainWindow>
#include <QPointer>
#include <QSet>

#include <memory>

class AppSettings;
class ChatSession;
class Composer;
class ConversationView;
class HistoryRecorder;
class HistoryStore;
class JobQueue;
class ParametersBar;
class ProfileRegistry;
class ProviderSettingsPanel;
class QAction;
class QLabel;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QueueBackend;
class QueuePanel;
class SecretStore;

// The chat window: the conversation shown, a composer, provider settings, the queue view
// and a status line. Every request becomes a job on the queue, submitted through the
// window's own connection and followed by the conversation's ChatSession; the window never
// talks to a provider and never waits.
//
// Each open conversation is a session with its own view. A session whose answer streams
// stays alive when another conversation is shown, so several stream at once; an idle one
// is closed when the user leaves it. Every prompt and answer is stored in `store` as it
// happens (a HistoryRecorder writes answers while they stream).
class ChatWindow : public QMainWindow
{
    Q_OBJECT

public:
    // Without a store the window keeps its conversations in memory only.
    ChatWindow(std::shared_ptr<QueueBackend> backend,
               std::shared_ptr<ProfileRegistry> profiles,
               AppSettings *settings,
               SecretStore *secrets,
               HistoryStore *store = nullptr,
               QWidget *parent = nullptr);
    ~ChatWindow() override;

    Composer *composer() const;
    ConversationView *conversation() const; // of the conversation shown
    ProviderSettingsPanel *settingsPanel() const;
    ParametersBar *parametersBar() const;
    QPushButton *sendButton() const;
    QPushButton *stopButton() const;
    QString statusText() const;
    HistoryStore *historyStore() const;
    HistoryRecorder *recorder() const;

    // The queue view (jobs and workers) and the action that shows or hides it.
    QueuePanel *queuePanel() const;
    QAction *queueViewAction() const;

    // The Enter-sends preference, as a checkable action of the Settings menu.
    QAction *enterSendsAction() const;

    // The conversation shown: its id (0 while new and empty), its running job (empty when
    // none) and what its next request would carry before the new prompt.
    qint64 currentConversation() const;
    QString currentJobId() const;
    QList<ChatMessage> history() const;
    ChatSession *currentSession() const;

    // How many conversations have an answer streaming, shown or not, and which.
    int streamingCount() const;
    QSet<qint64> streamingConversations() const;

    // Sends what the composer holds (Enter or Ctrl+Enter, the Send button): a new prompt, or
    // the new version of the message being edited.
    void send();

    // Asks the queue to cancel the shown conversation's job; the partial answer stays.
    void stop();

    // Starts a new conversation. Answers still streaming go on, in the queue and here.
    void newConversation();

    // Shows a stored conversation. One whose answer streams is shown live.
    void openConversation(qint64 id);

    // The conversation was deleted: its answer, if one streams, is stopped, and the window
    // shows a new conversation in its place if it was shown.
    void conversationDeleted(qint64 id);

    // Puts message `messageId`'s text in the composer; sending makes it a new version.
    void startEditing(qint64 messageId, const QString &text);
    void cancelEditing();
    bool isEditing() const;

protected:
    void closeEvent(QCloseEvent *event) override;

Q_SIGNALS:
    void jobSubmitted(const QString &jobId);
    void jobFinished(const JobRecord &record);

    // The window was cleared for a new conversation (the New chat action, Ctrl+N).
    void newConversationStarted();

    // The conversation shown changed (0: a new one); or a conversation's entry in the list
    // changed (created, titled, updated).
    void currentConversationChanged(qint64 id);
    void conversationsChanged();

    // An answer started or stopped streaming in some conversation.
    void streamingChanged();

private:
    QCoro::Task<void> sendComposerText(QString text);
    ChatSession *createSession(qint64 conversationId);
    void activate(ChatSession *session);
    void closeIfIdle(ChatSession *session);
    ConversationSettings defaultSettings() const;
    void refreshProfiles();
    void onSettingsEdited();
    void setStatus(const QString &text, bool isError = false);
    void updateSendEnabled();
    void addQueueView(AppSettings *settings, SecretStore *secrets);
    void addMenus();
    void resumeUnfinished();
    void setEditMode(qint64 messageId);
    void onConversationUpdated(qint64 id);

    std::shared_ptr<QueueBackend> m_backend;
    AppSettings *m_settings;
    std::unique_ptr<JobQueue> m_queue;
    std::unique_ptr<HistoryStore> m_ownStore;
    HistoryStore *m_store;
    HistoryRecorder *m_recorder;

    ParametersBar *m_parameters;
    QSplitter *m_splitter = nullptr;
    QStackedWidget *m_stack;
    QWidget *m_editBanner;
    Composer *m_composer;
    QPushButton *m_send;
    QPushButton *m_stop;
    QLabel *m_status;
    ProviderSettingsPanel *m_settingsPanel;
    QueuePanel *m_queuePanel = nullptr;
    QAction *m_queueViewAction = nullptr;
    QAction *m_enterSends = nullptr;

    ChatSession *m_current = nullptr;
    QHash<qint64, ChatSession *> m_sessions; // stored conversations open now
    QHash<ChatSession *, std::pair<QString, bool>> m_statuses;

    // What was being written in a conversation the user left, by conversation (0: new).
    struct Draft
    {
        QString text;
        qint64 editedMessage = 0;
        QString textBeforeEdit;
    };

    QHash<qint64, Draft> m_drafts;
    qint64 m_editedMessage = 0;
    QString m_textBeforeEdit;             // the draft an edit put aside
    bool m_currentSettingsEdited = false; // the user set the shown conversation's settings
};
