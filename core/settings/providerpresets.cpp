#include "core/settings/providerpresets.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSet>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcPresets, "chatqueue.settings.presets")

namespace {

// The names of resources/presets/providers.json, for lupdate: the file is data, so the
// translation tool cannot see them there. Keep this list in step with the file.
[[maybe_unused]] constexpr const char *kPresetNames[] = {
        QT_TRANSLATE_NOOP("ProviderPreset", "OpenAI"),
        QT_TRANSLATE_NOOP("ProviderPreset", "DeepSeek"),
        QT_TRANSLATE_NOOP("ProviderPreset", "Volcengine Ark"),
        QT_TRANSLATE_NOOP("ProviderPreset", "Alibaba DashScope (Qwen)"),
        QT_TRANSLATE_NOOP("ProviderPreset", "Moonshot (Kimi)"),
        QT_TRANSLATE_NOOP("ProviderPreset", "Zhipu (GLM)"),
        QT_TRANSLATE_NOOP("ProviderPreset", "SiliconFlow"),
        QT_TRANSLATE_NOOP("ProviderPreset", "OpenRouter"),
        QT_TRANSLATE_NOOP("ProviderPreset", "Groq"),
        QT_TRANSLATE_NOOP("ProviderPreset", "Mistral"),
        QT_TRANSLATE_NOOP("ProviderPreset", "Azure OpenAI"),
        QT_TRANSLATE_NOOP("ProviderPreset", "Ollama"),
        QT_TRANSLATE_NOOP("ProviderPreset", "llama.cpp server"),
        QT_TRANSLATE_NOOP("ProviderPreset", "vLLM"),
        QT_TRANSLATE_NOOP("ProviderPreset", "LM Studio"),
        QT_TRANSLATE_NOOP("ProviderPreset", "Custom"),
};

// The presets file is a few kilobytes; anything this big is not one.
constexpr qint64 kMaxFileBytes = 1024 * 1024;

bool isHttpUrl(const QUrl &url)
{
    return url.isValid() && !url.host().isEmpty()
           && (url.scheme() == u"http"_s || url.scheme() == u"https"_s);
}

Result<ProviderPreset, QString> parsePreset(const QJsonObject &object)
{
    ProviderPreset preset;
    preset.id = object.value(u"id"_s).toString().trimmed();
    preset.name = object.value(u"name"_s).toString().trimmed();
    if (preset.id.isEmpty() || preset.name.isEmpty()) {
        return u"a preset has no \"id\" or no \"name\""_s;
    }

    const QString baseUrl = object.value(u"base_url"_s).toString();
    preset.baseUrl = QUrl(baseUrl, QUrl::StrictMode);
    if (!isHttpUrl(preset.baseUrl)) {
        return u"preset \"%1\": \"base_url\" must be an http:// or https:// URL, got \"%2\""_s.arg(
                preset.id,
                baseUrl);
    }

    preset.baseUrlIsTemplate = object.value(u"base_url_is_template"_s).toBool(false);
    preset.apiKeyHeader = object.value(u"api_key_header"_s).toString();
    preset.apiVersion = object.value(u"api_version"_s).toString();
    preset.needsKey = object.value(u"needs_key"_s).toBool(true);
    preset.listsModels = object.value(u"lists_models"_s).toBool(true);
    preset.sendReasoning = object.value(u"send_reasoning"_s).toBool(false);
    for (const QJsonValue &model : object.value(u"models"_s).toArray()) {
        if (!model.toString().isEmpty()) {
            preset.models.append(model.toString());
        }
    }
    return preset;
}

QString withoutTrailingSlash(const QUrl &url)
{
    QString text = url.adjusted(QUrl::StripTrailingSlash | QUrl::NormalizePathSegments).toString();
    return text.toLower();
}

QList<ProviderPreset> loadBuiltIn()
{
    const QString path = u":/presets/providers.json"_s;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxFileBytes) {
        qCWarning(lcPresets) << "cannot read the built-in presets" << path;
        return {};
    }
    auto presets = ProviderPresets::parse(file.readAll(), path);
    if (!presets) {
        qCWarning(lcPresets).noquote() << presets.error();
        return {};
    }
    return presets.value();
}

} // namespace

QString ProviderPreset::displayName() const
{
    return QCoreApplication::translate("ProviderPreset", name.toUtf8().constData());
}

Result<QList<ProviderPreset>, QString> ProviderPresets::parse(const QByteArray &json,
                                                              const QString &source)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return u"%1: not valid JSON at offset %2: %3"_s.arg(source,
                                                            QString::number(parseError.offset),
                                                            parseError.errorString());
    }

    const QJsonArray array = document.object().value(u"presets"_s).toArray();
    if (array.isEmpty()) {
        return u"%1: no presets (expected {\"presets\": [ … ]})"_s.arg(source);
    }

    QList<ProviderPreset> presets;
    QSet<QString> ids;
    for (const QJsonValue &value : array) {
        auto preset = parsePreset(value.toObject());
        if (!preset) {
            return u"%1: %2"_s.arg(source, preset.error());
        }
        if (ids.contains(preset->id)) {
            return u"%1: preset \"%2\" is defined twice"_s.arg(source, preset->id);
        }
        ids.insert(preset->id);
        presets.append(preset.value());
    }
    return presets;
}

const QList<ProviderPreset> &ProviderPresets::builtIn()
{
    static const QList<ProviderPreset> presets = loadBuiltIn();
    return presets;
}

std::optional<ProviderPreset> ProviderPresets::find(const QString &id)
{
    for (const ProviderPreset &preset : builtIn()) {
        if (preset.id == id) {
            return preset;
        }
    }
    return std::nullopt;
}

QString ProviderPresets::idForBaseUrl(const QUrl &baseUrl)
{
    const QString wanted = withoutTrailingSlash(baseUrl);
    for (const ProviderPreset &preset : builtIn()) {
        if (!preset.baseUrlIsTemplate && withoutTrailingSlash(preset.baseUrl) == wanted) {
            return preset.id;
        }
    }
    return customId();
}

QString ProviderPresets::customId()
{
    return u"custom"_s;
}
