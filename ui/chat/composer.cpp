#include "ui/chat/composer.h"

#include <QInputMethodEvent>
#include <QKeyEvent>

Composer::Composer(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setPlaceholderText(tr("Ask anything. Ctrl+Enter sends."));
    setTabChangesFocus(true);
}

QSize Composer::sizeHint() const
{
    const int lines = 4;
    const int height = fontMetrics().lineSpacing() * lines + 2 * frameWidth()
                       + static_cast<int>(2 * document()->documentMargin());
    return {QPlainTextEdit::sizeHint().width(), height};
}

void Composer::keyPressEvent(QKeyEvent *event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && event->modifiers().testFlag(Qt::ControlModifier) && !m_composing) {
        event->accept();
        Q_EMIT submitRequested();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

void Composer::inputMethodEvent(QInputMethodEvent *event)
{
    m_composing = !event->preeditString().isEmpty();
    QPlainTextEdit::inputMethodEvent(event);
}
