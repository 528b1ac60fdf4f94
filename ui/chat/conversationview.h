#pragma once

#include <QList>
#include <QScrollArea>

class MessageWidget;
class QPushButton;
class QVBoxLayout;

// The turns of one conversation, top to bottom, in a scrolling column. While the view is at
// its end it follows new text; once the user scrolls up it stays where they left it.
//
// A long conversation shows only its latest turns at first; a button at the top says how
// many earlier ones there are and asks for them, as scrolling to the top does. Opening a
// conversation of thousands of messages costs the same as opening a short one.
class ConversationView : public QScrollArea
{
    Q_OBJECT

public:
    explicit ConversationView(QWidget *parent = nullptr);

    // Takes ownership of `message` and shows it last.
    void addMessage(MessageWidget *message);

    // Takes ownership of `messages` and shows them, in order, above the first one shown.
    void prependMessages(const QList<MessageWidget *> &messages);

    // Removes (and deletes) the shown messages from `index` on.
    void removeMessagesFrom(int index);
    void clear();

    QList<MessageWidget *> messages() const;

    // How many earlier turns are not shown; 0 hides the button that asks for them.
    void setEarlierCount(int count);
    QPushButton *earlierButton() const;

Q_SIGNALS:
    void earlierRequested();

private:
    void followEnd(int minimum, int maximum);

    QWidget *m_column;
    QVBoxLayout *m_layout;
    QPushButton *m_earlier;
    QList<MessageWidget *> m_messages;
    bool m_atEnd = true;
    int m_keepFromBottom = -1; // after a prepend: the distance from the end to restore
};
