#pragma once

#include <QPlainTextEdit>

// Where the user writes a prompt: several lines; Ctrl+Enter sends. A key press never sends
// while an input method is composing (a Chinese IME holds its candidate text until it commits).
class Composer : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit Composer(QWidget *parent = nullptr);

    QSize sizeHint() const override;

Q_SIGNALS:
    void submitRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void inputMethodEvent(QInputMethodEvent *event) override;

private:
    bool m_composing = false;
};
