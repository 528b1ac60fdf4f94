#include "ui/markdown/markdownstreamer.h"

#include "ui/markdown/markdownpreprocessor.h"
#include "ui/markdown/markdownrenderer.h"

#include <QStringView>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

namespace {

bool isBlank(QStringView line)
{
    return line.trimmed().isEmpty();
}

bool startsNewBlock(QStringView line)
{
    // An indented line may continue a list item or be indented code: not a safe cut.
    return !line.isEmpty() && !line[0].isSpace();
}

} // namespace

MarkdownStreamer::MarkdownStreamer(QTextDocument *document)
    : m_document(document)
{}

const QString &MarkdownStreamer::source() const
{
    return m_source;
}

bool MarkdownStreamer::isFinished() const
{
    return m_finished;
}

void MarkdownStreamer::setTailFormat(const QTextCharFormat &format)
{
    m_tailFormat = format;
}

void MarkdownStreamer::append(const QString &text)
{
    if (text.isEmpty()) {
        return;
    }

    m_source += text;
    scanLines();
    if (m_stableEnd > m_renderedEnd) {
        replaceTail(m_stableEnd);
    } else {
        appendPlain(text);
    }
    styleOpenCode();
}

void MarkdownStreamer::finish()
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    if (m_renderedEnd < m_source.size()) {
        replaceTail(m_source.size());
    }
}

void MarkdownStreamer::showComplete(const QString &text)
{
    clear();
    m_source = text;
    m_scanPosition = m_source.size();
    m_stableEnd = m_source.size();
    m_finished = true;
    if (!m_source.isEmpty()) {
        replaceTail(m_source.size());
    }
}

void MarkdownStreamer::clear()
{
    m_document->clear();
    m_source.clear();
    m_finished = false;
    m_renderedEnd = 0;
    m_tailLength = 0;
    m_tailOpen = false;
    m_tailSeparated = false;
    m_tailIsCode = false;
    m_scanPosition = 0;
    m_stableEnd = 0;
    m_previousBlank = false;
    m_fence = {};
}

void MarkdownStreamer::scanLines()
{
    // Complete lines only; the last, unfinished line is looked at below without consuming it.
    while (true) {
        const qsizetype newline = m_source.indexOf(u'\n', m_scanPosition);
        if (newline < 0) {
            break;
        }
        const QStringView line =
                QStringView(m_source).mid(m_scanPosition, newline - m_scanPosition);

        const bool inFence = m_fence.isValid();
        if (!inFence && m_previousBlank && startsNewBlock(line)) {
            m_stableEnd = m_scanPosition;
        }

        const MarkdownPreprocessor::Fence fence = MarkdownPreprocessor::fenceOf(line);
        if (!inFence && fence.isValid()) {
            // A fence at the margin always starts a block of its own: what came before it is
            // complete, and the code block gets the tail to itself.
            if (fence.indent == 0) {
                m_stableEnd = m_scanPosition;
            }
            m_fence = fence;
            m_fenceStart = m_scanPosition;
        } else if (inFence && fence.isValid() && m_fence.isClosedBy(fence)) {
            // A code block that opened at the margin ends at its closing fence, whatever
            // follows: it can be rendered (and coloured) at once.
            if (m_fence.indent == 0) {
                m_stableEnd = newline + 1;
            }
            m_fence = {};
        }

        m_previousBlank = !m_fence.isValid() && isBlank(line);
        m_scanPosition = newline + 1;
    }

    const QStringView partial = QStringView(m_source).mid(m_scanPosition);
    if (!m_fence.isValid() && m_previousBlank && startsNewBlock(partial)) {
        m_stableEnd = m_scanPosition;
    }
}

void MarkdownStreamer::replaceTail(qsizetype renderUpTo)
{
    QTextCursor cursor(m_document);
    cursor.beginEditBlock();

    // Remove the plain tail, separator included, render the completed blocks once, then
    // put back what is still open as plain text. The tail is found from the end, as the
    // rendered head may change length (a Copy label that reads "Copied" for a while).
    cursor.movePosition(QTextCursor::End);
    cursor.setPosition(cursor.position() - m_tailLength, QTextCursor::KeepAnchor);
    cursor.removeSelectedText();
    m_tailOpen = false;
    m_tailSeparated = false;
    m_tailIsCode = false;
    m_tailLength = 0;

    MarkdownRenderer::append(m_document, m_source.mid(m_renderedEnd, renderUpTo - m_renderedEnd));
    m_renderedEnd = renderUpTo;

    appendPlain(m_source.mid(m_renderedEnd));
    cursor.endEditBlock();
}

void MarkdownStreamer::appendPlain(const QString &text)
{
    if (text.isEmpty()) {
        return;
    }

    QTextCursor cursor(m_document);
    cursor.movePosition(QTextCursor::End);
    QTextBlockFormat blockFormat;
    if (!m_tailOpen) {
        m_tailIsCode = tailIsOpenCode();
        blockFormat = m_tailIsCode ? MarkdownRenderer::codeBlockFormat() : QTextBlockFormat();
        // The tail gets a plain block of its own so that it inherits no heading, list or
        // code format from the rendered block before it.
        if (m_renderedEnd > 0 && !m_document->isEmpty()) {
            cursor.insertBlock(blockFormat, tailCharFormat());
            ++m_tailLength;
            m_tailSeparated = true;
        } else {
            cursor.setBlockFormat(blockFormat);
        }
        m_tailOpen = true;
    }
    cursor.insertText(text, tailCharFormat());
    m_tailLength += int(text.size());
}

QTextCharFormat MarkdownStreamer::tailCharFormat() const
{
    QTextCharFormat format = m_tailFormat;
    if (m_tailIsCode) {
        format.merge(MarkdownRenderer::codeCharFormat());
    }
    return format;
}

bool MarkdownStreamer::tailIsOpenCode() const
{
    return m_fence.isValid() && m_fenceStart == m_renderedEnd;
}

void MarkdownStreamer::styleOpenCode()
{
    // The opening fence is known once its line is complete, after the tail may have begun
    // as plain text: the tail is styled once then, and what follows inherits the style.
    if (!m_tailOpen || m_tailIsCode || !tailIsOpenCode()) {
        return;
    }
    m_tailIsCode = true;

    QTextCursor cursor(m_document);
    cursor.movePosition(QTextCursor::End);
    cursor.setPosition(cursor.position() - m_tailLength + (m_tailSeparated ? 1 : 0),
                       QTextCursor::KeepAnchor);
    cursor.setBlockFormat(MarkdownRenderer::codeBlockFormat());
    cursor.mergeCharFormat(MarkdownRenderer::codeCharFormat());
}
