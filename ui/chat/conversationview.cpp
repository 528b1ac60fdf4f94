#include "ui/chat/conversationview.h"

#include "ui/chat/messagewidget.h"

#include <QPushButton>
#include <QScrollBar>
#include <QVBoxLayout>

ConversationView::ConversationView(QWidget *parent)
    : QScrollArea(parent)
    , m_column(new QWidget)
    , m_layout(new QVBoxLayout(m_column))
    , m_earlier(new QPushButton(m_column))
{
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::NoFrame);
    m_column->setObjectName(QStringLiteral("conversationColumn"));
    m_layout->setContentsMargins(8, 8, 8, 8);
    m_layout->setSpacing(8);
    m_earlier->setFlat(true);
    m_earlier->hide();
    m_layout->addWidget(m_earlier, 0, Qt::AlignHCenter);
    m_layout->addStretch(1);
    setWidget(m_column);
    connect(m_earlier, &QPushButton::clicked, this, &ConversationView::earlierRequested);

    QScrollBar *bar = verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int value) {
        m_atEnd = value >= bar->maximum() - 4;

        // Reaching the top asks for the earlier turns, as the button does.
        if (value == bar->minimum() && bar->maximum() > 0 && !m_earlier->isHidden()
            && m_keepFromBottom < 0) {
            Q_EMIT earlierRequested();
        }
    });
    connect(bar, &QScrollBar::rangeChanged, this, &ConversationView::followEnd);
}

void ConversationView::addMessage(MessageWidget *message)
{
    // Before the trailing stretch, which keeps short conversations at the top.
    m_layout->insertWidget(m_layout->count() - 1, message);
    m_messages.append(message);
    m_atEnd = true;
}

void ConversationView::prependMessages(const QList<MessageWidget *> &messages)
{
    // Below the button for earlier turns, which stays first. The reader stays where they
    // were: the turns grow above them, and the view keeps its distance from the end.
    m_atEnd = false;
    const QScrollBar *bar = verticalScrollBar();
    m_keepFromBottom = bar->maximum() - bar->value();
    int position = 1;
    for (MessageWidget *message : messages) {
        m_layout->insertWidget(position++, message);
    }
    m_messages = messages + m_messages;
}

void ConversationView::removeMessagesFrom(int index)
{
    while (m_messages.size() > std::max(index, 0)) {
        MessageWidget *message = m_messages.takeLast();
        m_layout->removeWidget(message);
        message->hide();
        message->deleteLater();
    }
}

void ConversationView::clear()
{
    removeMessagesFrom(0);
    setEarlierCount(0);
    m_atEnd = true;
}

QList<MessageWidget *> ConversationView::messages() const
{
    return m_messages;
}

void ConversationView::setEarlierCount(int count)
{
    m_earlier->setVisible(count > 0);
    m_earlier->setText(count == 1 ? tr("Show 1 earlier message")
                                  : tr("Show %1 earlier messages").arg(count));
}

QPushButton *ConversationView::earlierButton() const
{
    return m_earlier;
}

void ConversationView::followEnd(int minimum, int maximum)
{
    Q_UNUSED(minimum)
    if (m_keepFromBottom >= 0) {
        verticalScrollBar()->setValue(maximum - m_keepFromBottom);
        m_keepFromBottom = -1;
        return;
    }
    if (m_atEnd) {
        verticalScrollBar()->setValue(maximum);
    }
}
