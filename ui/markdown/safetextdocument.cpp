#include "ui/markdown/safetextdocument.h"

#include <QLoggingCategory>
#include <QUrl>
#include <QVariant>

Q_LOGGING_CATEGORY(lcMarkdown, "chatqueue.markdown")

SafeTextDocument::SafeTextDocument(QObject *parent)
    : QTextDocument(parent)
{
    // QTextDocument::resource() asks a resource provider before loadResource(); an empty
    // provider of our own keeps an application-wide default provider from answering.
    setResourceProvider([](const QUrl &) { return QVariant(); });
}

QTextDocument::MarkdownFeatures SafeTextDocument::markdownFeatures()
{
    QTextDocument::MarkdownFeatures features(QTextDocument::MarkdownDialectGitHub);
    features |= QTextDocument::MarkdownNoHTML;
    return features;
}

int SafeTextDocument::refusedResourceCount() const
{
    return m_refusedResources;
}

QVariant SafeTextDocument::loadResource(int type, const QUrl &name)
{
    ++m_refusedResources;
    qCDebug(lcMarkdown) << "refused to load resource of type" << type << "scheme" << name.scheme();
    return QVariant();
}
