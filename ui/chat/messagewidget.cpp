#include "ui/chat/messagewidget.h"

#include "ui/chat/reasoningblock.h"
#include "ui/markdown/markdownrenderer.h"
#include "ui/markdown/markdownstreamer.h"
#include "ui/markdown/markdownview.h"
#include "ui/widgets/longtext.h"

#include <QClipboard>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QTextCursor>
#include <QToolButton>
#include <QVBoxLayout>

#include <chrono>

using namespace Qt::StringLiterals;
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
    applyShade();

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
    layout->addWidget(createActionRow());
    applyTextColours();

    // The Copy link of a code block says so in the status line, as the Copy button does.
    connect(m_answer, &MarkdownView::codeCopied, this, &MessageWidget::copied);

    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushInterval);
    connect(&m_flushTimer, &QTimer::timeout, this, &MessageWidget::flush);
}

MessageWidget::~MessageWidget() = default;

MessageWidget::Role MessageWidget::role() const
{
    return m_role;
}

QWidget *MessageWidget::createActionRow()
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    const auto makeButton = [row, layout](const QString &text, const QString &toolTip) {
        auto *button = new QToolButton(row);
        button->setText(text);
        button->setToolTip(toolTip);
        button->setAutoRaise(true);
        button->setFocusPolicy(Qt::TabFocus);
        layout->addWidget(button);
        return button;
    };

    m_previous = makeButton(u"‹"_s, tr("Previous version"));
    m_version = new QLabel(row);
    layout->addWidget(m_version);
    m_next = makeButton(u"›"_s, tr("Next version"));
    connect(m_previous, &QToolButton::clicked, this, [this] { Q_EMIT versionStepRequested(-1); });
    connect(m_next, &QToolButton::clicked, this, [this] { Q_EMIT versionStepRequested(1); });
    setVersions(0, 1);

    m_copy = makeButton(tr("Copy"), tr("Copy this message"));
    connect(m_copy, &QToolButton::clicked, this, &MessageWidget::copyToClipboard);
    if (m_role == Role::User) {
        m_edit = makeButton(tr("Edit"), tr("Edit this message and send it again"));
        connect(m_edit, &QToolButton::clicked, this, &MessageWidget::editRequested);
    } else {
        m_regenerate = makeButton(tr("Regenerate"),
                                  tr("Ask again; this answer stays as an earlier version"));
        connect(m_regenerate, &QToolButton::clicked, this, &MessageWidget::regenerateRequested);
    }
    m_delete = makeButton(tr("Delete"), tr("Delete this message"));
    connect(m_delete, &QToolButton::clicked, this, &MessageWidget::deleteRequested);

    layout->addStretch(1);
    m_stats = new QLabel(row);
    m_stats->setTextFormat(Qt::PlainText);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_stats);
    return row;
}

void MessageWidget::setPrompt(const QString &text)
{
    // The user's own words are shown as typed, not interpreted as Markdown.
    m_prompt = text;
    if (hasLongUnbrokenRun(text)) {
        m_answer->setWordWrapMode(QTextOption::WrapAnywhere);
    }
    m_answer->setPlainText(text);
}

QString MessageWidget::copyText() const
{
    return m_role == Role::User ? m_prompt : m_answerStreamer->source();
}

void MessageWidget::copyToClipboard()
{
    flush();
    QGuiApplication::clipboard()->setText(copyText());
    Q_EMIT copied();
}

qint64 MessageWidget::messageId() const
{
    return m_messageId;
}

void MessageWidget::setMessageId(qint64 id)
{
    m_messageId = id;
}

void MessageWidget::setVersions(int index, int count)
{
    m_versionIndex = index;
    m_versionCount = count;
    const bool paged = count > 1;
    m_previous->setVisible(paged);
    m_next->setVisible(paged);
    m_version->setVisible(paged);
    m_version->setText(u"%1/%2"_s.arg(index + 1).arg(count));
    updateActions();
}

QString MessageWidget::versionText() const
{
    return m_versionCount > 1 ? m_version->text() : QString();
}

void MessageWidget::setActionsEnabled(bool enabled)
{
    m_actionsEnabled = enabled;
    updateActions();
}

void MessageWidget::updateActions()
{
    m_previous->setEnabled(m_actionsEnabled && m_versionIndex > 0);
    m_next->setEnabled(m_actionsEnabled && m_versionIndex + 1 < m_versionCount);
    for (QToolButton *button : {m_edit, m_regenerate, m_delete}) {
        if (button) {
            button->setEnabled(m_actionsEnabled);
        }
    }
}

void MessageWidget::setStats(const QString &text)
{
    m_stats->setText(text);
}

QString MessageWidget::statsText() const
{
    return m_stats->text();
}

void MessageWidget::setReasoningDuration(std::chrono::milliseconds duration)
{
    if (m_reasoning) {
        m_reasoning->setDuration(duration);
    }
}

QString MessageWidget::footerText() const
{
    return m_footer->isHidden() ? QString() : m_footer->text();
}

QToolButton *MessageWidget::copyButton() const
{
    return m_copy;
}

QToolButton *MessageWidget::editButton() const
{
    return m_edit;
}

QToolButton *MessageWidget::regenerateButton() const
{
    return m_regenerate;
}

QToolButton *MessageWidget::deleteButton() const
{
    return m_delete;
}

QToolButton *MessageWidget::previousVersionButton() const
{
    return m_previous;
}

QToolButton *MessageWidget::nextVersionButton() const
{
    return m_next;
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

void MessageWidget::watchRuns(const QString &answer, const QString &reasoning)
{
    // Output with a very long unbroken run (base64, a minified file) would freeze the
    // window while Qt looks for a word boundary in it; such a view wraps anywhere.
    qsizetype longest = 0;
    m_answerRun = trailingRun(m_answerRun, answer, &longest);
    if (longest > kLongRun) {
        m_answer->setWordWrapMode(QTextOption::WrapAnywhere);
    }
    if (m_reasoning) {
        longest = 0;
        m_reasoningRun = trailingRun(m_reasoningRun, reasoning, &longest);
        if (longest > kLongRun) {
            m_reasoning->view()->setWordWrapMode(QTextOption::WrapAnywhere);
        }
    }
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

    watchRuns(m_pendingAnswer, m_pendingReasoning);
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
    m_answerRun = 0;
    m_reasoningRun = 0;
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

void MessageWidget::showStored(const QString &content, const QString &reasoning)
{
    m_flushTimer.stop();
    m_pendingAnswer.clear();
    m_pendingReasoning.clear();
    watchRuns(content, reasoning);
    m_answerStreamer->showComplete(content);
    if (m_reasoning) {
        m_reasoningStreamer->showComplete(reasoning);
        m_reasoning->setThinking(false);
        m_reasoning->setVisible(!reasoning.isEmpty());
    }
    Q_EMIT contentChanged();
}

void MessageWidget::setFooter(const QString &text, bool isError)
{
    m_footer->setText(text);
    m_footer->setVisible(!text.isEmpty());
    m_footerIsError = isError;
    applyTextColours();
}

void MessageWidget::applyShade()
{
    // The user's turns sit on a shade, the answers on the window's background. Setting the
    // sheet again makes Qt resolve palette(alternate-base) against the current palette.
    // Setting a sheet itself changes the palette; the colour it was made for stops the loop.
    const QColor shade = palette().color(QPalette::AlternateBase);
    if (m_role == Role::User && shade != m_shade) {
        m_shade = shade;
        setStyleSheet(QStringLiteral(
                "#userMessage { background: palette(alternate-base); border-radius: 6px; }"));
    }
}

void MessageWidget::applyTextColours()
{
    // Muted and error colours are taken from the palette in force, light or dark.
    const QPalette current = palette();
    QPalette muted = current;
    muted.setColor(QPalette::WindowText, current.color(QPalette::PlaceholderText));
    m_stats->setPalette(muted);

    QPalette footer = current;
    footer.setColor(QPalette::WindowText,
                    m_footerIsError ? errorColour(current)
                                    : current.color(QPalette::PlaceholderText));
    m_footer->setPalette(footer);
}

QColor MessageWidget::errorColour(const QPalette &palette)
{
    // A red that reads on either background: darker on light, lighter on dark.
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    return dark ? QColor(0xff, 0x7b, 0x6e) : QColor(0xc0, 0x39, 0x2b);
}

void MessageWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyShade();
        applyTextColours();
    }
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
