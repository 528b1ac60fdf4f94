#pragma once

#include "ui/markdown/codehighlighter.h"

#include <QCoreApplication>
#include <QString>
#include <QTextBlockFormat>
#include <QTextCharFormat>
#include <QUrl>

class QTextDocument;

// Turns untrusted Markdown into rich text, safely: raw HTML stays literal text, images
// become links the user may click (they are never loaded). Code blocks get a monospace font,
// a shaded background, syntax colours and a header naming their language with a Copy link
// (see copyLink()); TeX formulas are shown as monospace text, exactly as written.
//
// The colours of code follow the document's code theme (setCodeTheme()), light by default.
class MarkdownRenderer
{
    Q_DECLARE_TR_FUNCTIONS(MarkdownRenderer)

public:
    // Appends `markdown`, rendered, at the end of `document` as blocks of their own.
    static void append(QTextDocument *document, const QString &markdown);

    // Replaces the content of `document` by `markdown`, rendered.
    static void render(QTextDocument *document, const QString &markdown);

    // Rewrites what setMarkdown() produced in `document`: image objects become links, code
    // blocks are styled and coloured.
    static void sanitize(QTextDocument *document);

    // Colours the code of `document`, now and from then on, for a light or a dark background.
    static void setCodeTheme(QTextDocument *document, CodeTheme theme);
    static CodeTheme codeTheme(const QTextDocument *document);

    // Puts the Copy label of every code block header, now and from then on, at `width` pixels
    // from the header's left edge (the width of the text inside a code block's margins).
    static void setCodeHeaderWidth(QTextDocument *document, qreal width);

    // How a code block's lines look: a shaded block with a monospace font.
    static QTextBlockFormat codeBlockFormat();
    static QTextCharFormat codeCharFormat();

    // The space a code block's margins take from a line's width, in pixels.
    static qreal codeMargins();

    // The link behind a code block's Copy label: "chatqueue-copy:<code block>".
    static QUrl copyLink(int codeBlock);

    // The code block a copy link names, or -1 when `url` is no copy link.
    static int codeBlockOfCopyLink(const QUrl &url);

    // The text of a code block of `document` (its lines, without header or fences), or a null
    // string when there is no such block.
    static QString codeBlockText(const QTextDocument *document, int codeBlock);

    // Shows `label` in place of the Copy label of a code block's header. Returns false when
    // there is no such block.
    static bool setCopyLabel(QTextDocument *document, int codeBlock, const QString &label);

    // Removes the code block headers from `document`, a copy of selected text, so that what
    // the user copies holds code and prose only.
    static void removeCodeHeaders(QTextDocument *document);

    // The visible text of a Copy link.
    static QString copyLabel();
};
