#pragma once

#include <QPlainTextEdit>

// Where the user writes a prompt, on several lines. Which key sends is a preference: Enter
// (Shift+Enter breaks the line) or Ctrl+Enter (Enter breaks the line); Ctrl+Enter always
// sends. A key press never sends while an input method is composing: a Chinese IME holds
// its candidate text until it commits, and Enter then picks a candidate.
//
// A large paste is inserted as plain text, which QPlainTextEdit lays out lazily, so even
// megabytes do not freeze the window.
class Composer : public QPlainTextEdit
{
    Q_OBJECT

public:
    enum class SendKey {
        Enter,
        CtrlEnter,
    };

    explicit Composer(QWidget *parent = nullptr);

    SendKey sendKey() const;
    void setSendKey(SendKey key);

    QSize sizeHint() const override;

Q_SIGNALS:
    void submitRequested();

    // Escape pressed: the window may leave a mode such as editing an earlier message.
    void cancelRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void inputMethodEvent(QInputMethodEvent *event) override;
    void insertFromMimeData(const QMimeData *source) override;

private:
    void updatePlaceholder();

    SendKey m_sendKey = SendKey::Enter;
    bool m_composing = false;
};
