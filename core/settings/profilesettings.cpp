#include "core/settings/profilesettings.h"

using namespace Qt::StringLiterals;

QStringList ProfileSettings::modelChoices() const
{
    QStringList choices = models;
    if (!defaultModel.isEmpty() && !choices.contains(defaultModel)) {
        choices.prepend(defaultModel);
    }
    return choices;
}

ProviderProfile ProfileSettings::toProviderProfile(const QString &apiKey,
                                                   const QString &proxyPassword) const
{
    ProviderProfile profile;
    profile.name = name;
    profile.baseUrl = baseUrl;
    profile.apiKey = apiKey;
    profile.apiKeyHeader = apiKeyHeader;
    profile.apiVersion = apiVersion;
    profile.sendReasoning = sendReasoning;
    profile.proxy = proxy;
    profile.proxy.password = proxyPassword;
    return profile;
}

QString apiKeyAccount(const QString &profile)
{
    return u"profile/"_s + profile + u"/api-key"_s;
}

QString proxyPasswordAccount(const QString &profile)
{
    return u"profile/"_s + profile + u"/proxy-password"_s;
}

QString proxyTypeName(ProxySettings::Type type)
{
    switch (type) {
    case ProxySettings::Type::System:
        return u"system"_s;
    case ProxySettings::Type::None:
        return u"none"_s;
    case ProxySettings::Type::Http:
        return u"http"_s;
    case ProxySettings::Type::Socks5:
        return u"socks5"_s;
    }
    return u"system"_s;
}

ProxySettings::Type proxyTypeFromName(const QString &name)
{
    if (name == u"none"_s) {
        return ProxySettings::Type::None;
    }
    if (name == u"http"_s) {
        return ProxySettings::Type::Http;
    }
    if (name == u"socks5"_s) {
        return ProxySettings::Type::Socks5;
    }
    return ProxySettings::Type::System;
}
