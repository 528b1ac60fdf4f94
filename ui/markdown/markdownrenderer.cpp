#include "ui/markdown/markdownrenderer.h"

#include "ui/markdown/safetextdocument.h"

#include <QColor>
#include <QFontDatabase>
#include <QList>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocumentFragment>
#include <QTextList>
#include <QTextTable>

using namespace Qt::StringLiterals;

namespace {

struct ImageSpan
{
    int position = 0;
    int length = 0;
    QString url;
    QString altText;
};

QList<ImageSpan> findImages(const QTextDocument *document)
{
    QList<ImageSpan> images;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.charFormat().isImageFormat()) {
                continue;
            }
            const QTextImageFormat format = fragment.charFormat().toImageFormat();
            images.append(ImageSpan{fragment.position(),
                                    fragment.length(),
                                    format.name(),
                                    format.property(QTextFormat::ImageAltText).toString()});
        }
    }
    return images;
}

const int kCodeGroup = 0;

// Pixels between paragraphs, lists and code blocks.
constexpr qreal kGroupGap = 10;

bool isCodeBlock(const QTextBlock &block)
{
    return block.blockFormat().hasProperty(QTextFormat::BlockCodeFence)
           || block.blockFormat().hasProperty(QTextFormat::BlockCodeLanguage);
}

void styleCodeBlocks(QTextDocument *document)
{
    QTextCharFormat monospace;
    monospace.setFontFamilies(QFontDatabase::systemFont(QFontDatabase::FixedFont).families());
    monospace.setFontFixedPitch(true);

    // A translucent grey reads as a shade on light and dark palettes alike.
    const QColor shade(128, 128, 128, 40);

    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        if (!isCodeBlock(block)) {
            continue;
        }
        QTextCursor cursor(block);
        QTextBlockFormat format = block.blockFormat();
        format.setBackground(shade);
        format.setLeftMargin(6);
        format.setRightMargin(6);
        cursor.setBlockFormat(format);
        cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        cursor.mergeCharFormat(monospace);
    }
}

// What a block belongs to, for spacing: a run of code lines, one list, or itself.
const void *groupOf(const QTextBlock &block)
{
    if (isCodeBlock(block)) {
        return &kCodeGroup;
    }
    if (block.textList()) {
        return block.textList();
    }
    return nullptr;
}

// Qt's Markdown import leaves paragraphs, lists and code blocks touching; a small gap after
// each group keeps them apart without spacing the lines inside a list or a code block.
void spaceBlocks(QTextDocument *document)
{
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        QTextCursor cursor(block);
        if (cursor.currentTable()) {
            continue;
        }
        const QTextBlock next = block.next();
        const void *group = groupOf(block);
        const bool groupGoesOn = group && next.isValid() && groupOf(next) == group;
        QTextBlockFormat format = block.blockFormat();
        format.setTopMargin(0);
        format.setBottomMargin(groupGoesOn ? 0 : kGroupGap);
        cursor.setBlockFormat(format);
    }
}

} // namespace

void MarkdownRenderer::sanitize(QTextDocument *document)
{
    // Replace from the end, so that earlier positions stay valid.
    const QList<ImageSpan> images = findImages(document);
    for (auto it = images.crbegin(); it != images.crend(); ++it) {
        QTextCursor cursor(document);
        cursor.setPosition(it->position);
        cursor.setPosition(it->position + it->length, QTextCursor::KeepAnchor);

        QTextCharFormat link;
        link.setAnchor(true);
        link.setAnchorHref(it->url);
        link.setFontUnderline(true);
        const QString label = it->altText.isEmpty() ? it->url : it->altText;
        cursor.insertText(tr("[image: %1]").arg(label), link);
    }

    styleCodeBlocks(document);
    spaceBlocks(document);
}

void MarkdownRenderer::render(QTextDocument *document, const QString &markdown)
{
    document->clear();
    append(document, markdown);
}

void MarkdownRenderer::append(QTextDocument *document, const QString &markdown)
{
    // Rendered in a document of its own, which never lays out nor loads anything, then
    // copied over: only the new blocks of `document` are laid out again.
    SafeTextDocument rendered;
    rendered.setMarkdown(markdown, SafeTextDocument::markdownFeatures());
    sanitize(&rendered);
    const QTextDocumentFragment fragment(&rendered);

    QTextCursor cursor(document);
    cursor.movePosition(QTextCursor::End);
    if (document->isEmpty()) {
        cursor.insertFragment(fragment);
        cursor.setPosition(0);
        if (!cursor.currentList() && !cursor.currentTable()) {
            cursor.setBlockFormat(rendered.firstBlock().blockFormat());
        }
        return;
    }

    // A fragment's first block merges into the block it is inserted in and loses its block
    // format (a heading, a code fence); a list or a table opens blocks of its own instead.
    const QTextBlock first = rendered.firstBlock();
    QTextCursor firstCursor(first);
    if (first.textList() || firstCursor.currentTable()) {
        cursor.insertFragment(fragment);
        return;
    }
    cursor.insertBlock(first.blockFormat(), first.charFormat());
    cursor.insertFragment(fragment);
}
