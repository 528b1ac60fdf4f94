#pragma once

#include <QObject>
#include <QString>

#include <memory>

class ChatWindow;
class ConversationList;
class HistoryRecorder;
class HistoryStore;
class JobQueue;
class QDockWidget;
class QueueBackend;

// Gives a chat window its history: a conversation list docked on its left, every prompt
// and answer stored as they happen, and stored conversations shown when picked.
//
// Answers are recorded by a HistoryRecorder on this object's own queue connection, not by
// the window, so an answer keeps being written into its conversation while the window shows
// another one, and several answers can stream into the history at once.
class ConversationHistory : public QObject
{
    Q_OBJECT

public:
    // `window` and `store` must outlive this object; it is parented to the window.
    ConversationHistory(ChatWindow *window,
                        std::shared_ptr<QueueBackend> backend,
                        HistoryStore *store);
    ~ConversationHistory() override;

    ConversationList *list() const;
    HistoryRecorder *recorder() const;
    QDockWidget *dock() const;

    // The conversation the window shows; 0 for a new one not stored yet.
    qint64 currentConversation() const;

    // Shows a stored conversation in the window.
    void openConversation(qint64 id);

    // Shows the conversation `step` rows below (or, when negative, above) the current one
    // in the list; from a new conversation, the first row. False when there is none.
    bool openAdjacentConversation(int step);

    // The title a conversation gets from its first prompt: one line, at most about 40
    // characters.
    static QString titleFor(const QString &prompt);

private:
    void onPromptSubmitted(const QString &prompt, const QString &jobId);
    void onNewConversation();
    void onConversationDeleted(qint64 id);

    ChatWindow *m_window;
    HistoryStore *m_store;
    std::unique_ptr<JobQueue> m_queue;
    HistoryRecorder *m_recorder;
    ConversationList *m_list;
    QDockWidget *m_dock;
    qint64 m_current = 0;
};
