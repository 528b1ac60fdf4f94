#include "ui/markdown/markdownrenderer.h"

#include "ui/markdown/markdownpreprocessor.h"
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

// Block properties: the code block a line or a header belongs to.
constexpr int kCodeBlockProperty = QTextFormat::UserProperty + 1;
constexpr int kCodeHeaderProperty = QTextFormat::UserProperty + 2;

// Character properties: the CodeToken of coloured code, and a formula.
constexpr int kTokenProperty = QTextFormat::UserProperty + 3;
constexpr int kMathProperty = QTextFormat::UserProperty + 4;

// Document properties: the code theme, and the index the next code block gets.
constexpr char kThemeProperty[] = "chatqueueCodeTheme";
constexpr char kNextCodeBlockProperty[] = "chatqueueNextCodeBlock";
constexpr char kHeaderWidthProperty[] = "chatqueueCodeHeaderWidth";

// The margins of a code block's lines and header, in pixels.
constexpr qreal kCodeMargin = 6;

constexpr auto kCopyScheme = "chatqueue-copy"_L1;

// Pixels between paragraphs, lists and code blocks.
constexpr qreal kGroupGap = 10;

// A translucent grey reads as a shade on light and dark palettes alike.
QColor codeShade()
{
    return QColor(128, 128, 128, 40);
}

QColor headerShade()
{
    return QColor(128, 128, 128, 70);
}

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

void replaceImages(QTextDocument *document)
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
        cursor.insertText(MarkdownRenderer::tr("[image: %1]").arg(label), link);
    }
}

// A link in the text itself may not pose as a Copy link: only headers carry those.
void disarmCopyLinks(QTextDocument *document)
{
    QTextCursor cursor(document);
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const QTextCharFormat format = fragment.charFormat();
            if (!format.isAnchor()
                || MarkdownRenderer::codeBlockOfCopyLink(QUrl(format.anchorHref())) < 0) {
                continue;
            }
            QTextCharFormat disarmed = format;
            disarmed.setAnchorHref(QString());
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            cursor.setCharFormat(disarmed);
        }
    }
}

bool isCodeBlock(const QTextBlock &block)
{
    return block.blockFormat().hasProperty(QTextFormat::BlockCodeFence)
           || block.blockFormat().hasProperty(QTextFormat::BlockCodeLanguage);
}

QTextCharFormat monospaceFormat()
{
    QTextCharFormat monospace;
    monospace.setFontFamilies(QFontDatabase::systemFont(QFontDatabase::FixedFont).families());
    monospace.setFontFixedPitch(true);
    return monospace;
}

QTextCharFormat tokenFormat(CodeToken token, CodeTheme theme)
{
    QTextCharFormat format;
    format.setProperty(kTokenProperty, int(token));
    format.setForeground(CodeHighlighter::colour(token, theme));
    return format;
}

// A formula placeholder left by MarkdownPreprocessor, at `position` in the document.
struct MathPlaceholder
{
    int position = 0;
    int length = 0;
    int index = 0;
};

QList<MathPlaceholder> findMath(const QTextDocument *document)
{
    QList<MathPlaceholder> found;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        const QString text = block.text();
        qsizetype start = text.indexOf(MarkdownPreprocessor::kMathStart);
        while (start >= 0) {
            const qsizetype end = text.indexOf(MarkdownPreprocessor::kMathEnd, start);
            if (end < 0) {
                break;
            }
            bool ok = false;
            const int index = QStringView(text).mid(start + 1, end - start - 1).toInt(&ok);
            if (ok) {
                found.append(MathPlaceholder{block.position() + int(start),
                                             int(end - start + 1),
                                             index});
            }
            start = text.indexOf(MarkdownPreprocessor::kMathStart, end);
        }
    }
    return found;
}

// Puts each formula in place of its placeholder: monospace on a light shade, display
// formulas centred on a line of their own. Inside code a formula is no formula: the text
// goes back as it was written.
void replaceMath(QTextDocument *document, const QList<MathSpan> &math)
{
    const QList<MathPlaceholder> placeholders = findMath(document);
    for (auto it = placeholders.crbegin(); it != placeholders.crend(); ++it) {
        if (it->index < 0 || it->index >= math.size()) {
            continue;
        }
        const MathSpan &span = math.at(it->index);
        QTextCursor cursor(document);
        cursor.setPosition(it->position + 1);
        const QTextCharFormat around = cursor.charFormat();
        const QTextBlock block = cursor.block();
        cursor.setPosition(it->position);
        cursor.setPosition(it->position + it->length, QTextCursor::KeepAnchor);

        if (isCodeBlock(block) || around.fontFixedPitch()) {
            cursor.insertText(span.source, around);
            continue;
        }

        QTextCharFormat format = around;
        format.merge(monospaceFormat());
        format.setBackground(codeShade());
        format.setProperty(kMathProperty, true);
        QString tex = span.tex;
        tex.replace(u'\n', QChar::LineSeparator);
        const bool ownLine = block.text().trimmed().size() == it->length;
        if (span.display && !ownLine) {
            tex = QChar::LineSeparator + tex + QChar::LineSeparator;
        }
        cursor.insertText(tex, format);
        if (span.display && ownLine) {
            QTextBlockFormat centred = block.blockFormat();
            centred.setAlignment(Qt::AlignHCenter);
            cursor.setBlockFormat(centred);
        }
    }
}

// A run of code lines, as Qt's Markdown reader produced them.
struct CodeGroup
{
    int firstBlock = 0; // block numbers
    int lastBlock = 0;
    QString language; // as the info string gave it
    int index = -1;   // the index MarkdownPreprocessor gave it, or -1
};

// Qt 6.4 reads the UTF-8 of a code block's language as Latin-1; this undoes that.
QString languageOf(const QTextBlockFormat &format)
{
    const QString language = format.stringProperty(QTextFormat::BlockCodeLanguage);
    for (const QChar c : language) {
        if (c.unicode() > 0xFF) {
            return language;
        }
    }
    return QString::fromUtf8(language.toLatin1());
}

QList<CodeGroup> findCodeGroups(const QTextDocument *document)
{
    QList<CodeGroup> groups;
    QString previousKey;
    bool previousWasCode = false;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        if (!isCodeBlock(block)) {
            previousWasCode = false;
            continue;
        }
        const QTextBlockFormat format = block.blockFormat();
        const QString key = format.stringProperty(QTextFormat::BlockCodeLanguage)
                            + (format.hasProperty(QTextFormat::BlockCodeFence) ? u"`"_s : u""_s);
        if (previousWasCode && key == previousKey) {
            groups.last().lastBlock = block.blockNumber();
            continue;
        }

        CodeGroup group;
        group.firstBlock = block.blockNumber();
        group.lastBlock = group.firstBlock;
        const QString language = languageOf(format);
        const qsizetype mark = language.indexOf(MarkdownPreprocessor::kCodeBlockMark);
        group.language = mark < 0 ? language : language.left(mark);
        if (mark >= 0) {
            bool ok = false;
            const int index = QStringView(language).mid(mark + 1).toInt(&ok);
            group.index = ok ? index : -1;
        }
        groups.append(group);
        previousKey = key;
        previousWasCode = true;
    }
    return groups;
}

// The Copy label sits at the right end of the header, on a right-aligned tab stop.
void setHeaderTab(QTextBlockFormat *format, qreal width)
{
    QList<QTextOption::Tab> tabs;
    if (width > 0) {
        tabs.append(QTextOption::Tab(width, QTextOption::RightTab));
    }
    format->setTabPositions(tabs);
}

QTextBlockFormat headerFormat(int codeBlock, qreal width)
{
    QTextBlockFormat format;
    format.setBackground(headerShade());
    format.setLeftMargin(kCodeMargin);
    format.setRightMargin(kCodeMargin);
    format.setProperty(kCodeHeaderProperty, codeBlock);
    setHeaderTab(&format, width);
    return format;
}

// How code is drawn in the document being rendered to.
struct CodeStyle
{
    CodeTheme theme = CodeTheme::Light;
    qreal headerWidth = 0;
};

// Styles and colours one code block, then puts its header above it.
void decorateCodeGroup(QTextDocument *document,
                       const CodeGroup &group,
                       int codeBlock,
                       const CodeStyle &style)
{
    const QTextBlock first = document->findBlockByNumber(group.firstBlock);
    const QTextBlock last = document->findBlockByNumber(group.lastBlock);
    const QTextCharFormat monospace = monospaceFormat();
    for (QTextBlock block = first; block.isValid(); block = block.next()) {
        QTextCursor cursor(block);
        QTextBlockFormat format = block.blockFormat();
        format.merge(MarkdownRenderer::codeBlockFormat());
        format.setProperty(QTextFormat::BlockCodeLanguage, group.language);
        format.setProperty(kCodeBlockProperty, codeBlock);
        cursor.setBlockFormat(format);
        cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        cursor.mergeCharFormat(monospace);
        if (block == last) {
            break;
        }
    }

    // The lines of a block follow each other with one separator each, as in the joined text.
    const int start = first.position();
    QTextCursor cursor(document);
    cursor.setPosition(start);
    cursor.setPosition(last.position() + last.length() - 1, QTextCursor::KeepAnchor);
    const QString code = cursor.selection().toPlainText();
    const QList<CodeSpan> spans = CodeHighlighter::highlight(group.language, code);
    for (const CodeSpan &span : spans) {
        cursor.setPosition(start + span.start);
        cursor.setPosition(start + span.start + span.length, QTextCursor::KeepAnchor);
        cursor.mergeCharFormat(tokenFormat(span.token, style.theme));
    }

    // The header goes in a block of its own above the first line.
    cursor.setPosition(start);
    cursor.insertBlock(first.blockFormat(), first.charFormat());
    cursor.movePosition(QTextCursor::PreviousBlock);
    cursor.setBlockFormat(headerFormat(codeBlock, style.headerWidth));
    cursor.setBlockCharFormat(QTextCharFormat());

    const QString language = group.language.trimmed();
    QTextCharFormat label = tokenFormat(CodeToken::Label, style.theme);
    cursor.insertText(language.isEmpty() ? MarkdownRenderer::tr("text") : language, label);
    cursor.insertText(u"\t"_s, QTextCharFormat());
    QTextCharFormat link = tokenFormat(CodeToken::Link, style.theme);
    link.setAnchor(true);
    link.setAnchorHref(MarkdownRenderer::copyLink(codeBlock).toString());
    link.setFontUnderline(false);
    cursor.insertText(MarkdownRenderer::copyLabel(), link);
}

// Styles every code block of `document`, numbering them from the document's next index
// (`target` keeps that count when `document` is a staging copy). Blocks that carry an index
// from MarkdownPreprocessor keep it, so that a code block's number is stable.
void decorateCode(QTextDocument *document, QTextDocument *target, int taggedBlocks)
{
    const CodeStyle style{MarkdownRenderer::codeTheme(target),
                          target->property(kHeaderWidthProperty).toReal()};
    const int first = target->property(kNextCodeBlockProperty).toInt();
    int next = first + taggedBlocks;
    const QList<CodeGroup> groups = findCodeGroups(document);
    QList<int> numbers;
    for (const CodeGroup &group : groups) {
        numbers.append(group.index >= 0 && group.index < taggedBlocks ? first + group.index
                                                                      : next++);
    }
    target->setProperty(kNextCodeBlockProperty, next);

    // From the end: a header moves every later block down by one.
    for (qsizetype i = groups.size() - 1; i >= 0; --i) {
        decorateCodeGroup(document, groups.at(i), numbers.at(i), style);
    }
}

// What a block belongs to, for spacing: a code block with its header, one list, or itself.
struct SpacingGroup
{
    int kind = 0; // 0: a block alone, 1: a code block, 2: a list
    quintptr key = 0;

    bool operator==(const SpacingGroup &other) const = default;
};

SpacingGroup groupOf(const QTextBlock &block)
{
    const QTextBlockFormat format = block.blockFormat();
    if (format.hasProperty(kCodeBlockProperty)) {
        return {1, quintptr(format.intProperty(kCodeBlockProperty))};
    }
    if (format.hasProperty(kCodeHeaderProperty)) {
        return {1, quintptr(format.intProperty(kCodeHeaderProperty))};
    }
    if (block.textList()) {
        return {2, quintptr(block.textList())};
    }
    return {};
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
        const SpacingGroup group = groupOf(block);
        const bool groupGoesOn = group.kind != 0 && next.isValid() && groupOf(next) == group;
        QTextBlockFormat format = block.blockFormat();
        format.setTopMargin(0);
        format.setBottomMargin(groupGoesOn ? 0 : kGroupGap);
        cursor.setBlockFormat(format);
    }
}

// Everything that turns Qt's reading of the Markdown into what is shown.
void decorate(QTextDocument *document,
              QTextDocument *target,
              const QList<MathSpan> &math,
              int taggedCodeBlocks)
{
    replaceImages(document);
    disarmCopyLinks(document);
    replaceMath(document, math);
    decorateCode(document, target, taggedCodeBlocks);
    spaceBlocks(document);
}

// The header block of a code block, or an invalid block.
QTextBlock findHeader(const QTextDocument *document, int codeBlock)
{
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        const QTextBlockFormat format = block.blockFormat();
        if (format.hasProperty(kCodeHeaderProperty)
            && format.intProperty(kCodeHeaderProperty) == codeBlock) {
            return block;
        }
    }
    return {};
}

} // namespace

void MarkdownRenderer::sanitize(QTextDocument *document)
{
    decorate(document, document, {}, 0);
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
    const MarkdownPreprocessor::Result prepared = MarkdownPreprocessor::process(markdown);
    SafeTextDocument rendered;
    rendered.setMarkdown(prepared.markdown, SafeTextDocument::markdownFeatures());
    decorate(&rendered, document, prepared.math, prepared.codeBlocks);
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

void MarkdownRenderer::setCodeTheme(QTextDocument *document, CodeTheme theme)
{
    if (codeTheme(document) == theme) {
        return;
    }
    document->setProperty(kThemeProperty, int(theme));

    // Only the colours change; the text and its layout stay.
    QTextCursor cursor(document);
    cursor.beginEditBlock();
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        const QTextBlockFormat format = block.blockFormat();
        if (!format.hasProperty(kCodeBlockProperty) && !format.hasProperty(kCodeHeaderProperty)) {
            continue;
        }
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.charFormat().hasProperty(kTokenProperty)) {
                continue;
            }
            const auto token = CodeToken(fragment.charFormat().intProperty(kTokenProperty));
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            cursor.mergeCharFormat(tokenFormat(token, theme));
        }
    }
    cursor.endEditBlock();
}

void MarkdownRenderer::setCodeHeaderWidth(QTextDocument *document, qreal width)
{
    if (qFuzzyCompare(document->property(kHeaderWidthProperty).toReal() + 1, width + 1)) {
        return;
    }
    document->setProperty(kHeaderWidthProperty, width);

    QTextCursor cursor(document);
    cursor.beginEditBlock();
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        QTextBlockFormat format = block.blockFormat();
        if (!format.hasProperty(kCodeHeaderProperty)) {
            continue;
        }
        setHeaderTab(&format, width);
        QTextCursor(block).setBlockFormat(format);
    }
    cursor.endEditBlock();
}

QTextBlockFormat MarkdownRenderer::codeBlockFormat()
{
    QTextBlockFormat format;
    format.setBackground(codeShade());
    format.setLeftMargin(kCodeMargin);
    format.setRightMargin(kCodeMargin);
    return format;
}

QTextCharFormat MarkdownRenderer::codeCharFormat()
{
    return monospaceFormat();
}

qreal MarkdownRenderer::codeMargins()
{
    return 2 * kCodeMargin;
}

CodeTheme MarkdownRenderer::codeTheme(const QTextDocument *document)
{
    return document->property(kThemeProperty).toInt() == int(CodeTheme::Dark) ? CodeTheme::Dark
                                                                              : CodeTheme::Light;
}

QUrl MarkdownRenderer::copyLink(int codeBlock)
{
    QUrl url;
    url.setScheme(kCopyScheme);
    url.setPath(QString::number(codeBlock));
    return url;
}

int MarkdownRenderer::codeBlockOfCopyLink(const QUrl &url)
{
    if (url.scheme().compare(kCopyScheme, Qt::CaseInsensitive) != 0) {
        return -1;
    }
    bool ok = false;
    const int codeBlock = url.path().toInt(&ok);
    return ok && codeBlock >= 0 ? codeBlock : -1;
}

QString MarkdownRenderer::codeBlockText(const QTextDocument *document, int codeBlock)
{
    QStringList lines;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        const QTextBlockFormat format = block.blockFormat();
        if (format.hasProperty(kCodeBlockProperty)
            && format.intProperty(kCodeBlockProperty) == codeBlock) {
            lines.append(block.text());
        }
    }
    if (lines.isEmpty()) {
        return {};
    }
    QString text = lines.join(u'\n');
    text.replace(QChar::Nbsp, u' ');
    return text;
}

bool MarkdownRenderer::setCopyLabel(QTextDocument *document, int codeBlock, const QString &label)
{
    const QTextBlock header = findHeader(document, codeBlock);
    if (!header.isValid()) {
        return false;
    }
    const QString href = copyLink(codeBlock).toString();
    for (auto it = header.begin(); !it.atEnd(); ++it) {
        const QTextFragment fragment = it.fragment();
        if (fragment.charFormat().anchorHref() != href) {
            continue;
        }
        if (fragment.text() == label) {
            return true;
        }
        QTextCursor cursor(document);
        cursor.setPosition(fragment.position());
        cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
        cursor.insertText(label, fragment.charFormat());
        return true;
    }
    return false;
}

void MarkdownRenderer::removeCodeHeaders(QTextDocument *document)
{
    // From the end, so that the blocks still to visit keep their positions.
    for (QTextBlock block = document->lastBlock(); block.isValid();) {
        const QTextBlock previous = block.previous();
        if (block.blockFormat().hasProperty(kCodeHeaderProperty)) {
            QTextCursor cursor(block);
            cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
            // The separator after the header goes too, unless the header is the last block.
            if (block.next().isValid()) {
                cursor.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor);
            } else if (previous.isValid()) {
                cursor.setPosition(previous.position() + previous.length() - 1);
                cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
            }
            cursor.removeSelectedText();
        }
        block = previous;
    }
}

QString MarkdownRenderer::copyLabel()
{
    return tr("Copy");
}
