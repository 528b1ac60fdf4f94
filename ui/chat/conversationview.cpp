#include "ui/chat/conversationview.h"

#include "ui/chat/messagewidget.h"

#include <QScrollBar>
#include <QVBoxLayout>

ConversationView::ConversationView(QWidget *parent)
    : QScrollArea(parent)
    , m_column(new QWidget)
    , m_layout(new QVBoxLayout(m_column))
{
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::NoFrame);
    m_column->setObjectName(QStringLiteral("conversationColumn"));
    m_layout->setContentsMargins(8, 8, 8, 8);
    m_layout->setSpacing(8);
    m_layout->addStretch(1);
    setWidget(m_column);

    QScrollBar *bar = verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int value) {
        m_atEnd = value >= bar->maximum() - 4;
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

void ConversationView::clear()
{
    for (MessageWidget *message : std::as_const(m_messages)) {
        message->deleteLater();
    }
    m_messages.clear();
    m_atEnd = true;
}

QList<MessageWidget *> ConversationView::messages() const
{
    return m_messages;
}

void ConversationView::followEnd(int minimum, int maximum)
{
    Q_UNUSED(minimum)
    if (m_atEnd) {
        verticalScrollBar()->setValue(maximum);
    }
}
