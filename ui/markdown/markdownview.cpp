#include "ui/markdown/markdownview.h"

#include "ui/markdown/codehighlighter.h"
#include "ui/markdown/markdownrenderer.h"
#include "ui/markdown/safetextdocument.h"

#include <QAbstractTextDocumentLayout>
#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QMimeData>
#include <QResizeEvent>
#include <QScrollBar>
#include <QTextDocumentFragment>

#include <algorithm>
#include <chrono>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// How long a code block's header says "Copied" after a copy.
constexpr auto kCopiedFeedback = 1500ms;

} // namespace

MarkdownView::MarkdownView(QWidget *parent)
    : QTextBrowser(parent)
    , m_document(new SafeTextDocument(this))
{
    setDocument(m_document);
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setReadOnly(true);
    setUndoRedoEnabled(false);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setTextInteractionFlags(Qt::TextBrowserInteraction);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    viewport()->setAutoFillBackground(false);
    document()->setDocumentMargin(2);

    // The height follows the laid-out document; Qt lays out only the blocks that changed
    // and reports the new size once per change, not once per character.
    connect(document()->documentLayout(),
            &QAbstractTextDocumentLayout::documentSizeChanged,
            this,
            &MarkdownView::updateHeight);
    connect(this, &QTextBrowser::anchorClicked, this, &MarkdownView::openLink);

    MarkdownRenderer::setCodeTheme(m_document, CodeHighlighter::themeFor(palette()));
    m_copiedTimer.setSingleShot(true);
    m_copiedTimer.setInterval(kCopiedFeedback);
    connect(&m_copiedTimer, &QTimer::timeout, this, &MarkdownView::restoreCopyLabels);
}

SafeTextDocument *MarkdownView::safeDocument() const
{
    return m_document;
}

QSize MarkdownView::sizeHint() const
{
    return {QTextBrowser::sizeHint().width(), m_contentHeight};
}

QSize MarkdownView::minimumSizeHint() const
{
    return {0, m_contentHeight};
}

QVariant MarkdownView::loadResource(int type, const QUrl &name)
{
    // QTextBrowser would read local files and qrc: resources by itself.
    Q_UNUSED(type)
    Q_UNUSED(name)
    return QVariant();
}

void MarkdownView::resizeEvent(QResizeEvent *event)
{
    QTextBrowser::resizeEvent(event);

    // A code block's Copy label stays at its right edge, a little inside the shade.
    constexpr qreal kLabelPadding = 4;
    const qreal width = viewport()->width() - 2 * document()->documentMargin()
                        - MarkdownRenderer::codeMargins() - kLabelPadding;
    MarkdownRenderer::setCodeHeaderWidth(m_document, std::max<qreal>(width, 0));
    updateHeight();
}

QMimeData *MarkdownView::createMimeDataFromSelection() const
{
    // Copied text holds no code block header ("python  Copy"), in rich text or plain.
    QTextDocument copy;
    QTextCursor(&copy).insertFragment(textCursor().selection());
    MarkdownRenderer::removeCodeHeaders(&copy);

    auto *mime = new QMimeData;
    mime->setHtml(copy.toHtml());
    mime->setText(copy.toPlainText());
    return mime;
}

void MarkdownView::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        MarkdownRenderer::setCodeTheme(m_document, CodeHighlighter::themeFor(palette()));
    }
}

bool MarkdownView::copyCodeBlock(int codeBlock)
{
    const QString code = MarkdownRenderer::codeBlockText(m_document, codeBlock);
    if (code.isNull()) {
        return false;
    }

    QGuiApplication::clipboard()->setText(code);
    if (MarkdownRenderer::setCopyLabel(m_document, codeBlock, tr("Copied"))) {
        m_copiedBlocks.insert(codeBlock);
        m_copiedTimer.start();
    }
    Q_EMIT codeCopied(code);
    return true;
}

void MarkdownView::restoreCopyLabels()
{
    for (int codeBlock : std::as_const(m_copiedBlocks)) {
        MarkdownRenderer::setCopyLabel(m_document, codeBlock, MarkdownRenderer::copyLabel());
    }
    m_copiedBlocks.clear();
}

void MarkdownView::openLink(const QUrl &url)
{
    // A copy link is ours: it never leaves the application.
    const int codeBlock = MarkdownRenderer::codeBlockOfCopyLink(url);
    if (codeBlock >= 0) {
        copyCodeBlock(codeBlock);
        return;
    }

    const QString scheme = url.scheme().toLower();
    if (scheme == u"http"_s || scheme == u"https"_s) {
        QDesktopServices::openUrl(url);
        return;
    }
    Q_EMIT linkRefused(url);
}

void MarkdownView::updateHeight()
{
    const int height = static_cast<int>(std::ceil(document()->size().height()))
                       + contentsMargins().top() + contentsMargins().bottom();
    if (height == m_contentHeight) {
        return;
    }
    m_contentHeight = height;
    setFixedHeight(height);
}
