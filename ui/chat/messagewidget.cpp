#include "ui/chat/messagewidget.h"

#include "ui/chat/reasoningblock.h"
#include "ui/markdown/markdownrenderer.h"
#include "ui/markdown/markdownstreamer.h"
#include "ui/markdown/markdownview.h"

#include <QLabel>
#include <QTextCursor>
#include <QVBoxLayout>

#include <chrono>

using namespace std::chrono_literals;

namespace {

// One frame at 60 Hz: text that arrives faster than this is shown together.
constexpr auto kFlushInterval = 16ms;

} // namespace

MessageWidget::MessageWidget(Role role, QWidget *parent)
    : QWidget(parent)
    , m_role(role)
    , m_roleLabel(new QLabel(this))
    , m_answer(new MarkdownView(this))
    , m_footer(new QLabel(this))
    , m_answerStreamer(std::make_unique<MarkdownStreamer>(m_answer->document()))
{
    setObjectName(role == Role::User ? QStringLiteral("userMessage")
                                     : QStringLiteral("assistantMessage"));
    setAttribute(Qt::WA_StyledBackground, true);
    if (role == Role::User) {
        // The user's turns sit on a light shade, the answers on the window's background.
        setStyleSheet(QStringLiteral(
                "#userMessage { background: palette(alternate-base); border-radius: 6px; }"));
    }

    QFont roleFont = m_roleLabel->font();
    roleFont.setBold(true);
    m_roleLabel->setFont(roleFont);
    m_roleLabel->setText(role == Role::User ? tr("You") : tr("Assistant"));

    m_footer->setWordWrap(true);
    m_footer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_footer->setTextFormat(Qt::PlainText);
    m_footer->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(4);
    layout->addWidget(m_roleLabel);
    if (role == Role::Assistant) {
        m_reasoning = new ReasoningBlock(this);
        m_reasoning->hide();
        m_reasoningStreamer = std::make_unique<MarkdownStreamer>(m_reasoning->view()->document());
        layout->addWidget(m_reasoning);
    }
    layout->addWidget(m_answer);
    layout->addWidget(m_footer);

    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushInterval);
    connect(&m_flushTimer, &QTimer::timeout, this, &MessageWidget::flush);
}

MessageWidget::~MessageWidget() = default;

MessageWidget::Role MessageWidget::role() const
{
    return m_role;
}

void MessageWidget::setPrompt(const QString &text)
{
    // The user's own words are shown as typed, not interpreted as Markdown.
    m_answer->setPlainText(text);
}

void MessageWidget::appendDelta(const ChatDelta &delta)
{
    if (delta.content.isEmpty() && delta.reasoning.isEmpty() && delta.refusal.isEmpty()) {
        return;
    }

    m_pendingReasoning += delta.reasoning;
    m_pendingAnswer += delta.content;
    m_pendingAnswer += delta.refusal;
    scheduleFlush();
}

void MessageWidget::scheduleFlush()
{
    if (!m_flushTimer.isActive()) {
        m_flushTimer.start();
    }
}

void MessageWidget::flush()
{
    m_flushTimer.stop();
    if (m_pendingReasoning.isEmpty() && m_pendingAnswer.isEmpty()) {
        return;
    }

    if (!m_pendingReasoning.isEmpty() && m_reasoning) {
        if (m_reasoning->isHidden()) {
            m_reasoning->show();
            m_reasoning->setThinking(true);
            m_reasoningClock.start();
        }
        m_reasoningStreamer->append(m_pendingReasoning);
        m_pendingReasoning.clear();
    }

    if (!m_pendingAnswer.isEmpty()) {
        // The answer starting ends the reasoning.
        if (m_reasoning && m_reasoningClock.isValid() && !m_reasoningStreamer->isFinished()) {
            m_reasoningStreamer->finish();
            m_reasoning->setThinking(false);
            m_reasoning->setDuration(std::chrono::milliseconds(m_reasoningClock.elapsed()));
        }
        m_answerStreamer->append(m_pendingAnswer);
        m_pendingAnswer.clear();
    }

    Q_EMIT contentChanged();
}

void MessageWidget::restart()
{
    m_flushTimer.stop();
    m_pendingAnswer.clear();
    m_pendingReasoning.clear();
    m_answerStreamer->clear();
    if (m_reasoning) {
        m_reasoningStreamer->clear();
        m_reasoning->hide();
        m_reasoningClock.invalidate();
    }
    Q_EMIT contentChanged();
}

void MessageWidget::finish(const JobRecord &record)
{
    flush();

    // The record is the reference: if the log was read from a later position or events were
    // missed, show what the job really produced.
    if (!record.content.isEmpty() && record.content != m_answerStreamer->source()) {
        m_answerStreamer->clear();
        m_answerStreamer->append(record.content);
    }
    m_answerStreamer->finish();

    if (m_reasoning) {
        if (!record.reasoning.isEmpty() && record.reasoning != m_reasoningStreamer->source()) {
            m_reasoningStreamer->clear();
            m_reasoningStreamer->append(record.reasoning);
            m_reasoning->show();
        }
        m_reasoningStreamer->finish();
        m_reasoning->setThinking(false);
    }
    Q_EMIT contentChanged();
}

void MessageWidget::setFooter(const QString &text, bool isError)
{
    m_footer->setText(text);
    m_footer->setVisible(!text.isEmpty());
    QPalette palette = m_footer->palette();
    const QColor colour =
            isError ? QColor(0xc0, 0x39, 0x2b) : palette.color(QPalette::PlaceholderText);
    palette.setColor(QPalette::WindowText, colour);
    m_footer->setPalette(palette);
}

QString MessageWidget::answerText() const
{
    return m_answer->document()->toPlainText();
}

QString MessageWidget::reasoningText() const
{
    return m_reasoning ? m_reasoning->view()->document()->toPlainText() : QString();
}

MarkdownView *MessageWidget::answerView() const
{
    return m_answer;
}

ReasoningBlock *MessageWidget::reasoningBlock() const
{
    return m_reasoning;
}
