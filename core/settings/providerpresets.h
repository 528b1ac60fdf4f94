#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// What ChatQueue knows about one OpenAI-compatible provider, as a starting point for a
// profile. The list lives in resources/presets/providers.json, built in as
// :/presets/providers.json.
struct ProviderPreset
{
    QString id;   // stable, stored in the settings: "openai", "deepseek", "azure-openai"…
    QString name; // English; displayName() translates it
    QUrl baseUrl;
    bool baseUrlIsTemplate = false; // holds placeholders the user must replace (Azure)
    QString apiKeyHeader;           // empty: Authorization: Bearer
    QString apiVersion;             // empty: no ?api-version=
    bool needsKey = true;
    bool listsModels = true;    // answers GET {base}/models
    bool sendReasoning = false; // wants earlier turns' reasoning back as reasoning_content
    QStringList models;         // suggestions; the provider's own list may differ

    QString displayName() const;
};

class ProviderPresets
{
public:
    // The presets of a presets file's JSON text; `source` names it in error messages. Every
    // preset needs an id, a name and an http(s) base URL; ids are unique.
    static Result<QList<ProviderPreset>, QString> parse(const QByteArray &json,
                                                        const QString &source);

    // The built-in presets, read once. Empty (and a warning logged) if the resource is broken.
    static const QList<ProviderPreset> &builtIn();

    // The built-in preset with this id.
    static std::optional<ProviderPreset> find(const QString &id);

    // The id of the built-in preset whose base URL is `baseUrl` (ignoring a trailing slash),
    // or "custom". Used to label a profile stored before presets existed.
    static QString idForBaseUrl(const QUrl &baseUrl);

    // The id of the preset for an endpoint of one's own choosing.
    static QString customId();
};
