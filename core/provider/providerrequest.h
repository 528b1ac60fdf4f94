#pragma once

#include "core/provider/providerprofile.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QStringView>
#include <QUrl>

// The HTTP requests every call to an OpenAI-compatible provider shares: the endpoint URL and
// the headers (key, user agent, encoding).
class ProviderRequest
{
public:
    // {baseUrl}/{path}: one slash between them whether or not the base ends in one; the
    // base's own query is kept and, for Azure, api-version added.
    static QUrl endpoint(const ProviderProfile &profile, QStringView path);

    // A request to `path` with the key as `Authorization: Bearer …` (or in the profile's own
    // header), no compression, and our User-Agent. `streaming` asks for an event stream.
    static QNetworkRequest make(const ProviderProfile &profile, QStringView path,
                                bool streaming);

    // "ChatQueue/<version> (Qt <version>)".
    static QByteArray userAgent();
};
