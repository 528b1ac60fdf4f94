#include "ui/chat/composer.h"

#include "ui/widgets/longtext.h"

#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QMimeData>

Composer::Composer(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setTabChangesFocus(true);
    updatePlaceholder();

    // Emptied (sent, cleared), the composer wraps between words again.
    connect(this, &QPlainTextEdit::textChanged, this, [this] {
        if (document()->isEmpty()) {
            setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
        }
    });
}

Composer::SendKey Composer::sendKey() const
{
    return m_sendKey;
}

void Composer::setSendKey(SendKey key)
{
    m_sendKey = key;
    updatePlaceholder();
}

void Composer::updatePlaceholder()
{
    setPlaceholderText(m_sendKey == SendKey::Enter
                               ? tr("Ask anything. Enter sends, Shift+Enter starts a new line.")
                               : tr("Ask anything. Ctrl+Enter sends."));
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
    if (event->key() == Qt::Key_Escape && !m_composing) {
        Q_EMIT cancelRequested();
        QPlainTextEdit::keyPressEvent(event);
        return;
    }

    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (!enter) {
        QPlainTextEdit::keyPressEvent(event);
        return;
    }
    if (m_composing) {
        // The input method owns Enter while it composes (it picks a candidate).
        event->accept();
        return;
    }

    const Qt::KeyboardModifiers modifiers = event->modifiers() & ~Qt::KeypadModifier;
    const bool sends = modifiers == Qt::ControlModifier
                       || (m_sendKey == SendKey::Enter && modifiers == Qt::NoModifier);
    if (sends) {
        event->accept();
        Q_EMIT submitRequested();
        return;
    }

    // Shift+Enter (or plain Enter in Ctrl+Enter mode) breaks the line; QPlainTextEdit would
    // insert a line separator for Shift+Enter, which is not a newline in the prompt.
    if (modifiers == Qt::ShiftModifier || modifiers == Qt::NoModifier) {
        event->accept();
        insertPlainText(QStringLiteral("\n"));
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

void Composer::inputMethodEvent(QInputMethodEvent *event)
{
    m_composing = !event->preeditString().isEmpty();
    QPlainTextEdit::inputMethodEvent(event);
}

void Composer::insertFromMimeData(const QMimeData *source)
{
    // Rich text from a browser or an editor arrives as plain text: the prompt is text.
    if (source->hasText()) {
        const QString text = source->text();
        prepareWrapFor(this, text);
        insertPlainText(text);
        return;
    }
    QPlainTextEdit::insertFromMimeData(source);
}
