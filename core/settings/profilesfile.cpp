#include "core/settings/profilesfile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

using namespace Qt::StringLiterals;

namespace {

// A profiles file is a few lines of JSON; anything this big is a mistake.
constexpr qint64 kMaxFileBytes = 1024 * 1024;

// "system", "none", or http:// / socks5:// with an optional user: the proxy of a profile.
Result<ProxySettings, QString> parseProxy(const QString &text)
{
    ProxySettings proxy;
    if (text.isEmpty() || text == u"system"_s) {
        return proxy;
    }
    if (text == u"none"_s) {
        proxy.type = ProxySettings::Type::None;
        return proxy;
    }

    const QUrl url(text, QUrl::StrictMode);
    if (url.scheme() == u"http"_s) {
        proxy.type = ProxySettings::Type::Http;
    } else if (url.scheme() == u"socks5"_s) {
        proxy.type = ProxySettings::Type::Socks5;
    }
    if (!url.isValid() || url.host().isEmpty() || url.port() <= 0
        || proxy.type == ProxySettings::Type::System) {
        return u"\"proxy\" must be system, none, http://host:port or socks5://host:port"_s;
    }
    if (!url.password().isEmpty()) {
        return u"the proxy password does not belong in this file; name an environment "
               "variable with \"proxy_password_env\""_s;
    }
    proxy.host = url.host();
    proxy.port = quint16(url.port());
    proxy.user = url.userName(QUrl::FullyDecoded);
    return proxy;
}

Result<ProfileEntry, QString> parseEntry(const QJsonObject &object)
{
    ProfileEntry entry;
    ProviderProfile &profile = entry.profile;
    profile.name = object.value(u"name"_s).toString().trimmed();
    if (profile.name.isEmpty()) {
        return u"a profile has no \"name\""_s;
    }

    const QString baseUrl = object.value(u"base_url"_s).toString();
    profile.baseUrl = QUrl(baseUrl, QUrl::StrictMode);
    if (!profile.baseUrl.isValid() || profile.baseUrl.host().isEmpty()
        || (profile.baseUrl.scheme() != u"http"_s && profile.baseUrl.scheme() != u"https"_s)) {
        return u"profile \"%1\": \"base_url\" must be an http:// or https:// URL, got \"%2\""_s.arg(
                profile.name,
                baseUrl);
    }
    if (object.contains(u"api_key"_s)) {
        return u"profile \"%1\": keys do not belong in this file; name an environment "
               "variable with \"api_key_env\" or a keychain entry with \"api_key_keychain\""_s.arg(
                       profile.name);
    }

    entry.apiKeyEnv = object.value(u"api_key_env"_s).toString();
    entry.apiKeyKeychain = object.value(u"api_key_keychain"_s).toString();
    profile.apiKeyHeader = object.value(u"api_key_header"_s).toString();
    profile.apiVersion = object.value(u"api_version"_s).toString();
    profile.includeUsage = object.value(u"include_usage"_s).toBool(true);
    profile.sendReasoning = object.value(u"send_reasoning"_s).toBool(false);

    const auto proxy = parseProxy(object.value(u"proxy"_s).toString());
    if (!proxy) {
        return u"profile \"%1\": %2"_s.arg(profile.name, proxy.error());
    }
    profile.proxy = proxy.value();
    const QString passwordEnv = object.value(u"proxy_password_env"_s).toString();
    if (!passwordEnv.isEmpty()) {
        profile.proxy.password = qEnvironmentVariable(passwordEnv.toLocal8Bit().constData());
    }
    profile.maxConcurrent = object.value(u"max_concurrent"_s).toInt(0);
    profile.maxPerMinute = object.value(u"max_per_minute"_s).toInt(0);
    if (profile.maxConcurrent < 0 || profile.maxPerMinute < 0) {
        return u"profile \"%1\": limits cannot be negative"_s.arg(profile.name);
    }
    return entry;
}

} // namespace

Result<QList<ProfileEntry>, QString> parseProfiles(const QByteArray &json, const QString &source)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return u"%1: not valid JSON at offset %2: %3"_s.arg(source,
                                                            QString::number(parseError.offset),
                                                            parseError.errorString());
    }

    const QJsonArray array = document.object().value(u"profiles"_s).toArray();
    if (array.isEmpty()) {
        return u"%1: no profiles (expected {\"profiles\": [ … ]})"_s.arg(source);
    }

    QList<ProfileEntry> entries;
    QSet<QString> names;
    for (const QJsonValue &value : array) {
        auto entry = parseEntry(value.toObject());
        if (!entry) {
            return u"%1: %2"_s.arg(source, entry.error());
        }
        if (names.contains(entry->profile.name)) {
            return u"%1: profile \"%2\" is defined twice"_s.arg(source, entry->profile.name);
        }
        names.insert(entry->profile.name);
        entries.append(entry.value());
    }
    return entries;
}

Result<QList<ProfileEntry>, QString> readProfilesFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return u"cannot read profiles file %1: %2"_s.arg(path, file.errorString());
    }
    if (file.size() > kMaxFileBytes) {
        return u"profiles file %1 is larger than 1 MiB"_s.arg(path);
    }
    return parseProfiles(file.readAll(), path);
}
