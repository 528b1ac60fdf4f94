#pragma once

#include <QTextBrowser>

class SafeTextDocument;

// A read-only view of untrusted rich text that grows to its content's height, to be stacked
// in a scrolling conversation. It loads no resource and follows no link by itself: a click
// on an http or https link opens the system browser, any other scheme is ignored.
class MarkdownView : public QTextBrowser
{
    Q_OBJECT

public:
    explicit MarkdownView(QWidget *parent = nullptr);

    SafeTextDocument *safeDocument() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    // A link the user clicked that was not opened (not http/https).
    void linkRefused(const QUrl &url);

protected:
    QVariant loadResource(int type, const QUrl &name) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void openLink(const QUrl &url);
    void updateHeight();

    SafeTextDocument *m_document;
    int m_contentHeight = 0;
};
