#pragma once

#include "core/provider/providerprofile.h"

#include <QString>
#include <QStringList>
#include <QUrl>

// One named provider profile as the user set it up in the app. Stored in AppSettings
// without any secret: the API key and the proxy password live in the SecretStore under
// apiKeyAccount() and proxyPasswordAccount(), and proxy.password stays empty here.
struct ProfileSettings
{
    QString name = QStringLiteral("default");
    QString presetId = QStringLiteral("custom"); // a ProviderPreset id
    QUrl baseUrl{QStringLiteral("https://api.openai.com/v1")};
    QString apiKeyHeader; // Azure: "api-key"
    QString apiVersion;   // Azure: e.g. "2024-10-21"
    QStringList models;   // fetched from the provider and edited by the user
    QString defaultModel;
    ProxySettings proxy;
    bool sendReasoning = false;

    // The models offered for this profile: models, with the default model first if it is
    // missing from the list.
    QStringList modelChoices() const;

    // The profile a worker serves, with the secrets read from the SecretStore.
    ProviderProfile toProviderProfile(const QString &apiKey, const QString &proxyPassword) const;

    friend bool operator==(const ProfileSettings &, const ProfileSettings &) = default;
};

// SecretStore accounts of a profile's secrets.
QString apiKeyAccount(const QString &profile);
QString proxyPasswordAccount(const QString &profile);

// The stored name of a proxy type ("system", "none", "http", "socks5") and back; unknown
// names read as System.
QString proxyTypeName(ProxySettings::Type type);
ProxySettings::Type proxyTypeFromName(const QString &name);
