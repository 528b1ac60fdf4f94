#include "app/chatq/provideroptions.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

QString defaultBaseUrl()
{
    return u"https://api.openai.com/v1"_s;
}

Result<ProviderProfile, QString> profileFromOptions(const QCommandLineParser &parser)
{
    const QString baseUrlText = parser.isSet(u"base-url"_s)
                                        ? parser.value(u"base-url"_s)
                                        : qEnvironmentVariable("OPENAI_BASE_URL", defaultBaseUrl());
    ProviderProfile profile;
    profile.name = parser.value(u"profile"_s);
    profile.baseUrl = QUrl(baseUrlText, QUrl::StrictMode);
    const QUrl &url = profile.baseUrl;
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
        return u"--base-url must be an http:// or https:// URL, got \"%1\""_s.arg(baseUrlText);
    }
    const QString keyVariable = parser.value(u"api-key-env"_s);
    if (!keyVariable.isEmpty()) {
        profile.apiKey = qEnvironmentVariable(keyVariable.toLocal8Bit().constData());
    }
    return profile;
}
