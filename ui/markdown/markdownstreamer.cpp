#include "ui/markdown/markdownstreamer.h"

#include "ui/markdown/markdownrenderer.h"

#include <QStringView>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

namespace {

// A fence opens or closes a code block: three or more backticks or tildes after at most
// three spaces (CommonMark). Returns the fence character and length, or a null char.
std::pair<QChar, qsizetype> fenceOf(QStringView line)
{
    qsizetype indent = 0;
    while (indent < line.size() && indent < 4 && line[indent] == u' ') {
        ++indent;
    }
    if (indent > 3 || indent >= line.size()) {
        return {QChar(), 0};
    }

    const QChar marker = line[indent];
    if (marker != u'`' && marker != u'~') {
        return {QChar(), 0};
    }
    qsizetype length = 0;
    while (indent + length < line.size() && line[indent + length] == marker) {
        ++length;
    }
    if (length < 3) {
        return {QChar(), 0};
    }
    return {marker, length};
}

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
        return;
    }
    appendPlain(text);
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

void MarkdownStreamer::clear()
{
    m_document->clear();
    m_source.clear();
    m_finished = false;
    m_renderedEnd = 0;
    m_tailPosition = 0;
    m_tailOpen = false;
    m_scanPosition = 0;
    m_stableEnd = 0;
    m_previousBlank = false;
    m_inFence = false;
    m_fenceChar = QChar();
    m_fenceLength = 0;
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

        if (!m_inFence && m_previousBlank && startsNewBlock(line)) {
            m_stableEnd = m_scanPosition;
        }

        const auto [fenceChar, fenceLength] = fenceOf(line);
        if (!m_inFence && !fenceChar.isNull()) {
            m_inFence = true;
            m_fenceChar = fenceChar;
            m_fenceLength = fenceLength;
        } else if (m_inFence && fenceChar == m_fenceChar && fenceLength >= m_fenceLength) {
            m_inFence = false;
        }

        m_previousBlank = !m_inFence && isBlank(line);
        m_scanPosition = newline + 1;
    }

    const QStringView partial = QStringView(m_source).mid(m_scanPosition);
    if (!m_inFence && m_previousBlank && startsNewBlock(partial)) {
        m_stableEnd = m_scanPosition;
    }
}

void MarkdownStreamer::replaceTail(qsizetype renderUpTo)
{
    QTextCursor cursor(m_document);
    cursor.beginEditBlock();

    // Remove the plain tail, separator included, render the completed blocks once, then
    // put back what is still open as plain text.
    cursor.setPosition(m_tailPosition);
    cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    cursor.removeSelectedText();
    m_tailOpen = false;

    MarkdownRenderer::append(m_document, m_source.mid(m_renderedEnd, renderUpTo - m_renderedEnd));
    m_renderedEnd = renderUpTo;
    cursor.movePosition(QTextCursor::End);
    m_tailPosition = cursor.position();

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
    if (!m_tailOpen) {
        // The tail gets a plain block of its own so that it inherits no heading, list or
        // code format from the rendered block before it.
        if (m_renderedEnd > 0 && !m_document->isEmpty()) {
            cursor.insertBlock(QTextBlockFormat(), m_tailFormat);
        } else {
            cursor.setBlockFormat(QTextBlockFormat());
        }
        m_tailOpen = true;
    }
    cursor.insertText(text, m_tailFormat);
}
