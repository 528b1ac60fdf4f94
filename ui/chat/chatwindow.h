#pragma once

#include "core/chat/chatmessage.h"
#include "core/chat/chatrequest.h"
#include "core/queue/jobrecord.h"
#include "core/store/historystore.h"

#include <QCoroTask>

#include <QList>
#include <QMainWindow>
#include <QPointer>

#include <memory>

class AppSettings;

class Composer;
class ConversationView;
class JobQueue;
class JobWatcher;
class MessageWidget;
class ProfileRegistry;
class ProviderSettingsPanel;
class QAction;
class QueuePanel;
class QLabel;
class QPushButton;
class QueueBackend;
class SecretStore;
struct QueueError;

// The chat window: one conversation, a composer, provider settings and a status line.
// Every request becomes a job on the queue, submitted through the window's own connection
// and followed with a JobWatcher; the window never talks to a provider and never waits.
class ChatWindow : public QMainWindow
{
    Q_OBJECT

public:
    ChatWindow(std::shared_ptr<QueueBackend> backend,
               std::shared_ptr<ProfileRegistry> profiles,
               AppSettings *settings,
               SecretStore *secrets,
               QWidget *parent = nullptr);
    ~ChatWindow() override;

    Composer *composer() const;
    ConversationView *conversation() const;
    ProviderSettingsPanel *settingsPanel() const;
    QPushButton *sendButton() const;
    QPushButton *stopButton() const;
    QString statusText() const;

    // The queue view (jobs and workers) and the action that shows or hides it.
    QueuePanel *queuePanel() const;
    QAction *queueViewAction() const;

    // The job of the answer streaming now, empty when none.
    QString currentJobId() const;
    QList<ChatMessage> history() const;

    // Sends what the composer holds (Ctrl+Enter, the Send button).
    void send();

    // Asks the queue to cancel the running job; the partial answer stays.
    void stop();

    // Starts a new conversation. An answer still streaming goes on in the queue (and in the
    // history, where one records it); the window only stops showing it.
    void newConversation();

    // Shows a stored conversation in place of the current one, which is left as for
    // newConversation(). An answer whose job has not ended is followed again from the start
    // of its log, so it keeps growing here.
    void showConversation(const QList<HistoryMessage> &messages);

protected:
    void closeEvent(QCloseEvent *event) override;

Q_SIGNALS:
    void jobSubmitted(const QString &jobId);
    void jobFinished(const JobRecord &record);

    // A prompt went to the queue as job `jobId`; the history stores both from here.
    void promptSubmitted(const QString &prompt, const QString &jobId);

    // The window was cleared for a new conversation (the New chat action, Ctrl+N).
    void newConversationStarted();

private:
    QCoro::Task<void> submitPrompt(QString prompt);
    QCoro::Task<void> cancelJob(QString jobId);
    void followJob(const QString &jobId);
    void detachJob();
    void onJobFinished(const JobRecord &record);
    void onQueueFailed(const QueueError &error);
    void setStatus(const QString &text, bool isError = false);
    void setBusy(bool busy);
    void updateSendEnabled();
    void addQueueView(AppSettings *settings, SecretStore *secrets);

    std::shared_ptr<QueueBackend> m_backend;
    AppSettings *m_settings;
    std::unique_ptr<JobQueue> m_queue;

    ConversationView *m_conversation;
    Composer *m_composer;
    QPushButton *m_send;
    QPushButton *m_stop;
    QLabel *m_status;
    ProviderSettingsPanel *m_settingsPanel;
    QueuePanel *m_queuePanel = nullptr;
    QAction *m_queueViewAction = nullptr;

    QList<ChatMessage> m_history;
    QPointer<MessageWidget> m_answer;
    QPointer<JobWatcher> m_watcher;
    QString m_jobId;
    bool m_busy = false;
    bool m_stopRequested = false;
};
