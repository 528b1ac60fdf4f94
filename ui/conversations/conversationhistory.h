#pragma once

#include <QObject>
#include <QString>

#include <memory>

class ChatWindow;
class ConversationList;
class HistoryRecorder;
class HistoryStore;
class QDockWidget;

// Gives a chat window its conversation list, docked on its left, with search and the
// shortcuts that walk it; picking a conversation shows it in the window. The window itself
// stores every prompt and answer (see ChatWindow and ChatSession).
class ConversationHistory : public QObject
{
    Q_OBJECT

public:
    // Lists the conversations of the window's history store; parented to the window.
    explicit ConversationHistory(ChatWindow *window);

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
    void onConversationDeleted(qint64 id);

    ChatWindow *m_window;
    HistoryStore *m_store;
    ConversationList *m_list;
    QDockWidget *m_dock;
};
