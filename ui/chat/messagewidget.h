#pragma once

#include "core/chat/chatreply.h"
#include "core/queue/jobrecord.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <memory>

class MarkdownStreamer;
class MarkdownView;
class QLabel;
class ReasoningBlock;

// One turn of the conversation. A user turn shows the prompt as typed; an assistant turn
// shows its reasoning folded above the answer, both growing as deltas arrive.
//
// Deltas are buffered and applied at most once per frame (about 60 Hz): each application
// appends to the end of the documents, so a long answer costs the same per update as a
// short one, and the rest of the conversation is never laid out again.
class MessageWidget : public QWidget
{
    Q_OBJECT

public:
    enum class Role {
        User,
        Assistant,
    };

    explicit MessageWidget(Role role, QWidget *parent = nullptr);
    ~MessageWidget() override;

    Role role() const;

    // A user turn: the prompt, shown as plain text.
    void setPrompt(const QString &text);

    // An assistant turn as it streams.
    void appendDelta(const ChatDelta &delta);
    void restart(); // a new attempt starts over: drop what was shown
    void finish(const JobRecord &record);

    // Shown under the text: state, errors, usage.
    void setFooter(const QString &text, bool isError = false);

    // What the views show, as plain text.
    QString answerText() const;
    QString reasoningText() const;

    MarkdownView *answerView() const;
    ReasoningBlock *reasoningBlock() const;

    // Applies buffered deltas now instead of at the next frame.
    void flush();

Q_SIGNALS:
    // The content changed height or text; the conversation may follow the end.
    void contentChanged();

private:
    void scheduleFlush();

    Role m_role;
    QLabel *m_roleLabel;
    ReasoningBlock *m_reasoning = nullptr;
    MarkdownView *m_answer;
    QLabel *m_footer;

    std::unique_ptr<MarkdownStreamer> m_answerStreamer;
    std::unique_ptr<MarkdownStreamer> m_reasoningStreamer;
    QString m_pendingAnswer;
    QString m_pendingReasoning;
    QTimer m_flushTimer;
    QElapsedTimer m_reasoningClock;
};
