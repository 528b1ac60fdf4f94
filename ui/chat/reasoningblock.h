#pragma once

#include <QWidget>

#include <chrono>

class MarkdownView;
class QToolButton;

// The reasoning of a reasoning model, apart from its answer and above it: a header that
// folds and unfolds it, and the text. Hidden until some reasoning arrives.
class ReasoningBlock : public QWidget
{
    Q_OBJECT

public:
    explicit ReasoningBlock(QWidget *parent = nullptr);

    MarkdownView *view() const;

    bool isExpanded() const;
    void setExpanded(bool expanded);

    // Shown in the header once the reasoning ended.
    void setDuration(std::chrono::milliseconds duration);
    void setThinking(bool thinking);

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateHeader();
    void applyMutedText();

    QToolButton *m_header;
    MarkdownView *m_view;
    QWidget *m_body = nullptr;
    bool m_thinking = false;
    std::chrono::milliseconds m_duration{0};
};
