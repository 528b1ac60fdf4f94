#pragma once

#include "ui/markdown/markdownpreprocessor.h"

#include <QString>
#include <QTextCharFormat>

class QTextDocument;

// Shows Markdown that arrives in pieces, at a cost that follows the size of each piece, not
// of the whole text. The text is split into a rendered head and a plain tail: whenever a
// block is known to be complete (a blank line outside a code fence, followed by a line that
// starts a new block), the tail up to there is rendered as Markdown once and appended; the
// rest stays plain text at the end of the document until more arrives. Blocks already
// rendered are never touched again, so the document lays out only its last blocks. A code
// block is complete once its fence closes; while it is open, the tail is shown as code.
class MarkdownStreamer
{
public:
    explicit MarkdownStreamer(QTextDocument *document);

    // Adds text at the end.
    void append(const QString &text);

    // The text is complete: renders what is still plain.
    void finish();

    // Shows `text`, complete, in one rendering pass (a stored answer): the same result as
    // appending it and finishing, without the plain tail in between.
    void showComplete(const QString &text);

    // Empties the document (a new attempt starts over).
    void clear();

    const QString &source() const;
    bool isFinished() const;

    // The format of the plain tail.
    void setTailFormat(const QTextCharFormat &format);

private:
    void scanLines();
    void replaceTail(qsizetype renderUpTo);
    void appendPlain(const QString &text);
    QTextCharFormat tailCharFormat() const;
    bool tailIsOpenCode() const;
    void styleOpenCode();

    QTextDocument *m_document;
    QTextCharFormat m_tailFormat;
    QString m_source;
    bool m_finished = false;

    qsizetype m_renderedEnd = 0;  // m_source[0, m_renderedEnd) is rendered
    int m_tailLength = 0;         // the plain tail's length, at the end of the document
    bool m_tailOpen = false;      // the plain tail has a block of its own
    bool m_tailSeparated = false; // the tail's length counts a block separator first
    bool m_tailIsCode = false;    // the tail is shown as code: it is an open code block

    // Line scanner state over m_source.
    qsizetype m_scanPosition = 0;
    qsizetype m_stableEnd = 0; // the last known end of a complete block
    bool m_previousBlank = false;
    MarkdownPreprocessor::Fence m_fence; // the fence of the open code block, if any
    qsizetype m_fenceStart = 0;          // where its opening fence line starts
};
