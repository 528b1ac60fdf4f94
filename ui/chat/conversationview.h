#pragma once

#include <QList>
#include <QScrollArea>

class MessageWidget;
class QVBoxLayout;

// The turns of one conversation, top to bottom, in a scrolling column. While the view is at
// its end it follows new text; once the user scrolls up it stays where they left it.
class ConversationView : public QScrollArea
{
    Q_OBJECT

public:
    explicit ConversationView(QWidget *parent = nullptr);

    // Takes ownership of `message` and shows it last.
    void addMessage(MessageWidget *message);
    void clear();

    QList<MessageWidget *> messages() const;

private:
    void followEnd(int minimum, int maximum);

    QWidget *m_column;
    QVBoxLayout *m_layout;
    QList<MessageWidget *> m_messages;
    bool m_atEnd = true;
};
