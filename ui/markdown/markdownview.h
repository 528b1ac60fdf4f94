#pragma once

#include <QSet>
#include <QTextBrowser>
#include <QTimer>

class SafeTextDocument;

// A read-only view of untrusted rich text that grows to its content's height, to be stacked
// in a scrolling conversation. It loads no resource and follows no link by itself: a click
// on an http or https link opens the system browser, any other scheme is ignored. The Copy
// link above a code block copies that block's code to the clipboard; code is coloured for
// the palette's background, light or dark.
class MarkdownView : public QTextBrowser
{
    Q_OBJECT

public:
    explicit MarkdownView(QWidget *parent = nullptr);

    SafeTextDocument *safeDocument() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // Copies the code of a code block (numbered as in its Copy link) to the clipboard, as the
    // Copy link does. Returns false when there is no such block.
    bool copyCodeBlock(int codeBlock);

Q_SIGNALS:
    // A link the user clicked that was not opened (not http/https).
    void linkRefused(const QUrl &url);

    // The code of a code block was put on the clipboard.
    void codeCopied(const QString &code);

protected:
    QVariant loadResource(int type, const QUrl &name) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    QMimeData *createMimeDataFromSelection() const override;

private:
    void openLink(const QUrl &url);
    void updateHeight();
    void restoreCopyLabels();

    SafeTextDocument *m_document;
    int m_contentHeight = 0;

    // Code blocks whose header reads "Copied" until the timer runs out.
    QSet<int> m_copiedBlocks;
    QTimer m_copiedTimer;
};
