#include "ui/markdown/markdownview.h"

#include "ui/markdown/safetextdocument.h"

#include <QAbstractTextDocumentLayout>
#include <QDesktopServices>
#include <QResizeEvent>
#include <QScrollBar>

#include <cmath>

using namespace Qt::StringLiterals;

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
    updateHeight();
}

void MarkdownView::openLink(const QUrl &url)
{
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
