#include "ui/chat/reasoningblock.h"

#include "ui/markdown/markdownview.h"

#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QPalette>
#include <QToolButton>
#include <QVBoxLayout>

ReasoningBlock::ReasoningBlock(QWidget *parent)
    : QWidget(parent)
    , m_header(new QToolButton(this))
    , m_view(new MarkdownView(this))
{
    m_header->setCheckable(true);
    m_header->setChecked(true);
    m_header->setAutoRaise(true);
    m_header->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_header->setToolTip(tr("Show or hide the model's reasoning"));

    applyMutedText();
    m_body = new QWidget(this);
    auto *rule = new QFrame(m_body);
    rule->setFrameShape(QFrame::VLine);
    rule->setFrameShadow(QFrame::Sunken);
    auto *bodyLayout = new QHBoxLayout(m_body);
    bodyLayout->setContentsMargins(8, 0, 0, 0);
    bodyLayout->setSpacing(6);
    bodyLayout->addWidget(rule);
    bodyLayout->addWidget(m_view, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_header, 0, Qt::AlignLeft);
    layout->addWidget(m_body);

    connect(m_header, &QToolButton::toggled, this, &ReasoningBlock::setExpanded);
    updateHeader();
}

MarkdownView *ReasoningBlock::view() const
{
    return m_view;
}

void ReasoningBlock::applyMutedText()
{
    // Reasoning reads as an aside: a muted colour and a rule on its left. The colour comes
    // from the current palette, so a change between light and dark recomputes it.
    QPalette palette = this->palette();
    palette.setColor(QPalette::Text, palette.color(QPalette::PlaceholderText));
    m_view->setPalette(palette);
}

void ReasoningBlock::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyMutedText();
    }
}

bool ReasoningBlock::isExpanded() const
{
    return m_header->isChecked();
}

void ReasoningBlock::setExpanded(bool expanded)
{
    m_header->setChecked(expanded);
    m_body->setVisible(expanded);
    updateHeader();
}

void ReasoningBlock::setDuration(std::chrono::milliseconds duration)
{
    m_duration = duration;
    updateHeader();
}

void ReasoningBlock::setThinking(bool thinking)
{
    m_thinking = thinking;
    updateHeader();
}

void ReasoningBlock::updateHeader()
{
    m_header->setArrowType(isExpanded() ? Qt::DownArrow : Qt::RightArrow);
    if (m_thinking) {
        m_header->setText(tr("Reasoning…"));
        return;
    }
    if (m_duration.count() > 0) {
        const double seconds = static_cast<double>(m_duration.count()) / 1000.0;
        m_header->setText(tr("Reasoning (%1 s)").arg(seconds, 0, 'f', 1));
        return;
    }
    m_header->setText(tr("Reasoning"));
}
