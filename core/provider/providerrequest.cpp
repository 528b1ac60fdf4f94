#include "core/provider/providerrequest.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;

QUrl ProviderRequest::endpoint(const ProviderProfile &profile, QStringView path)
{
    QUrl url = profile.baseUrl;

    QString basePath = url.path();
    while (basePath.endsWith(u'/')) {
        basePath.chop(1);
    }
    QStringView tail = path;
    while (tail.startsWith(u'/')) {
        tail = tail.mid(1);
    }
    url.setPath(basePath + u'/' + tail);

    if (!profile.apiVersion.isEmpty()) {
        QUrlQuery query(url);
        query.removeAllQueryItems(u"api-version"_s);
        query.addQueryItem(u"api-version"_s, profile.apiVersion);
        url.setQuery(query);
    }
    return url;
}

QNetworkRequest ProviderRequest::make(const ProviderProfile &profile, QStringView path,
                                      bool streaming)
{
    QNetworkRequest request(endpoint(profile, path));

    // Compressed event streams arrive in bursts behind the decompressor; ask for none.
    request.setRawHeader("Accept-Encoding", "identity");
    request.setRawHeader("User-Agent", userAgent());
    request.setRawHeader("Accept", streaming ? "text/event-stream" : "application/json");
    if (streaming) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Cache-Control", "no-cache");
    }

    if (!profile.apiKey.isEmpty()) {
        if (profile.apiKeyHeader.isEmpty()) {
            request.setRawHeader("Authorization", "Bearer " + profile.apiKey.toUtf8());
        } else {
            request.setRawHeader(profile.apiKeyHeader.toLatin1(), profile.apiKey.toUtf8());
        }
    }

    // Timeouts are ours (connect, first byte, idle); redirects of a POST are not followed
    // past a downgrade to plain HTTP.
    request.setTransferTimeout(0);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    return request;
}

QByteArray ProviderRequest::userAgent()
{
    return "ChatQueue/" CHATQUEUE_VERSION " (Qt " + QByteArray(qVersion()) + ')';
}
