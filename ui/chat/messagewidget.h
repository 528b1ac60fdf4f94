#pragma once

#include "core/chat/chatreply.h"
#include "core/queue/jobrecord.h"

#include <QColor>
#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <chrono>
#include <memory>

class MarkdownStreamer;
class MarkdownView;
class QLabel;
class QToolButton;
class ReasoningBlock;

// One turn of the conversation. A user turn shows the prompt as typed; an assistant turn
// shows its reasoning folded above the answer, both growing as deltas arrive.
//
// Under the text sits a row of actions: copy; edit (a user turn) or regenerate (an answer);
// delete; and, when the turn has several versions, a pager through them. An answer also
// shows its figures there (tokens, time to first token, tokens per second, duration).
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

    // A stored answer, complete: rendered at once.
    void showStored(const QString &content, const QString &reasoning);

    // Shown under the text: state and errors.
    void setFooter(const QString &text, bool isError = false);
    QString footerText() const;

    // The figures of a finished answer, shown discreetly in the action row.
    void setStats(const QString &text);
    QString statsText() const;

    // How long the model reasoned, when known from the job's times (a live stream measures
    // it itself).
    void setReasoningDuration(std::chrono::milliseconds duration);

    // The stored message this turn shows; 0 while it has none.
    qint64 messageId() const;
    void setMessageId(qint64 id);

    // This turn is version `index` (from 0) of `count`; the pager shows when count > 1.
    void setVersions(int index, int count);
    QString versionText() const;

    // Actions that change the conversation are off while it streams.
    void setActionsEnabled(bool enabled);

    // The text the Copy action puts on the clipboard: the prompt, or the answer's Markdown.
    QString copyText() const;

    QToolButton *copyButton() const;
    QToolButton *editButton() const;       // user turns only
    QToolButton *regenerateButton() const; // answers only
    QToolButton *deleteButton() const;
    QToolButton *previousVersionButton() const;
    QToolButton *nextVersionButton() const;

    // What the views show, as plain text.
    QString answerText() const;
    QString reasoningText() const;

    MarkdownView *answerView() const;
    ReasoningBlock *reasoningBlock() const;

    // Applies buffered deltas now instead of at the next frame.
    void flush();

    // The colour of error text on `palette`'s background.
    static QColor errorColour(const QPalette &palette);

Q_SIGNALS:
    // The content changed height or text; the conversation may follow the end.
    void contentChanged();

    void copied();
    void editRequested();
    void regenerateRequested();
    void deleteRequested();
    void versionStepRequested(int step); // -1 for the previous version, +1 for the next

protected:
    void changeEvent(QEvent *event) override;

private:
    void scheduleFlush();
    void applyShade();
    void applyTextColours();
    void watchRuns(const QString &answer, const QString &reasoning);
    QWidget *createActionRow();
    void copyToClipboard();
    void updateActions();

    Role m_role;
    QLabel *m_roleLabel;
    ReasoningBlock *m_reasoning = nullptr;
    MarkdownView *m_answer;
    QLabel *m_footer;
    QToolButton *m_copy = nullptr;
    QToolButton *m_edit = nullptr;
    QToolButton *m_regenerate = nullptr;
    QToolButton *m_delete = nullptr;
    QToolButton *m_previous = nullptr;
    QToolButton *m_next = nullptr;
    QLabel *m_version = nullptr;
    QLabel *m_stats = nullptr;
    bool m_footerIsError = false;
    qsizetype m_answerRun = 0;    // non-space characters at the end of the answer so far
    qsizetype m_reasoningRun = 0; // and of the reasoning
    QColor m_shade;               // the background the user turn's style sheet was last set for
    qint64 m_messageId = 0;
    int m_versionIndex = 0;
    int m_versionCount = 1;
    bool m_actionsEnabled = true;
    QString m_prompt;

    std::unique_ptr<MarkdownStreamer> m_answerStreamer;
    std::unique_ptr<MarkdownStreamer> m_reasoningStreamer;
    QString m_pendingAnswer;
    QString m_pendingReasoning;
    QTimer m_flushTimer;
    QElapsedTimer m_reasoningClock;
};
