#pragma once

#include <QTextDocument>

// A text document for untrusted text (model output). It loads no resource at all: an image,
// a style sheet or any URL the text names is never fetched, whatever its scheme — file:,
// http:, data:, qrc: or a UNC path. Requests are counted so that tests and logs can see
// that the text asked for something.
class SafeTextDocument : public QTextDocument
{
    Q_OBJECT

public:
    explicit SafeTextDocument(QObject *parent = nullptr);

    // GitHub-flavoured Markdown with raw HTML disabled: tags are kept as literal text.
    static QTextDocument::MarkdownFeatures markdownFeatures();

    int refusedResourceCount() const;

protected:
    QVariant loadResource(int type, const QUrl &name) override;

private:
    int m_refusedResources = 0;
};
