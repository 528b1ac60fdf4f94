#pragma once

#include <QCoreApplication>
#include <QString>

class QTextDocument;

// Turns untrusted Markdown into rich text, safely: raw HTML stays literal text, images
// become links the user may click (they are never loaded), code blocks get a monospace font
// and a shaded background.
class MarkdownRenderer
{
    Q_DECLARE_TR_FUNCTIONS(MarkdownRenderer)

public:
    // Appends `markdown`, rendered, at the end of `document` as blocks of their own.
    static void append(QTextDocument *document, const QString &markdown);

    // Replaces the content of `document` by `markdown`, rendered.
    static void render(QTextDocument *document, const QString &markdown);

    // Rewrites what setMarkdown() produced in `document`: image objects become links.
    static void sanitize(QTextDocument *document);
};
