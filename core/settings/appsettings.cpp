#include "core/settings/appsettings.h"

#include "core/settings/providerpresets.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

ProfileSettings readProfile(const QSettings &settings)
{
    ProfileSettings profile;
    profile.name = settings.value(u"name"_s, profile.name).toString();
    profile.presetId = settings.value(u"preset"_s, profile.presetId).toString();
    const QUrl baseUrl(settings.value(u"baseUrl"_s).toString());
    if (baseUrl.isValid() && !baseUrl.isEmpty()) {
        profile.baseUrl = baseUrl;
    }
    profile.apiKeyHeader = settings.value(u"apiKeyHeader"_s).toString();
    profile.apiVersion = settings.value(u"apiVersion"_s).toString();
    profile.models = settings.value(u"models"_s).toStringList();
    profile.defaultModel = settings.value(u"defaultModel"_s).toString();
    profile.proxy.type = proxyTypeFromName(settings.value(u"proxyType"_s).toString());
    profile.proxy.host = settings.value(u"proxyHost"_s).toString();
    profile.proxy.port = quint16(settings.value(u"proxyPort"_s, 0).toUInt());
    profile.proxy.user = settings.value(u"proxyUser"_s).toString();
    profile.sendReasoning = settings.value(u"sendReasoning"_s, false).toBool();
    return profile;
}

// Everything but the proxy password, which belongs in the SecretStore.
void writeProfile(QSettings &settings, const ProfileSettings &profile)
{
    settings.setValue(u"name"_s, profile.name);
    settings.setValue(u"preset"_s, profile.presetId);
    settings.setValue(u"baseUrl"_s, profile.baseUrl.toString());
    settings.setValue(u"apiKeyHeader"_s, profile.apiKeyHeader);
    settings.setValue(u"apiVersion"_s, profile.apiVersion);
    settings.setValue(u"models"_s, profile.models);
    settings.setValue(u"defaultModel"_s, profile.defaultModel);
    settings.setValue(u"proxyType"_s, proxyTypeName(profile.proxy.type));
    settings.setValue(u"proxyHost"_s, profile.proxy.host);
    settings.setValue(u"proxyPort"_s, profile.proxy.port);
    settings.setValue(u"proxyUser"_s, profile.proxy.user);
    settings.setValue(u"sendReasoning"_s, profile.sendReasoning);
}

ProfileSettings defaultProfile()
{
    ProfileSettings profile;
    profile.presetId = u"openai"_s;
    return profile;
}

} // namespace

AppSettings::AppSettings()
    : m_settings(std::make_unique<QSettings>())
{
    migrateSingleProvider();
}

AppSettings::AppSettings(const QString &iniFile)
    : m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{
    migrateSingleProvider();
}

QList<ProfileSettings> AppSettings::profiles() const
{
    // TODO: a hand-edited file's bad values (duplicate names, non-http URLs) load silently.
    QList<ProfileSettings> profiles;
    const int size = m_settings->beginReadArray(u"profiles"_s);
    for (int i = 0; i < size; ++i) {
        m_settings->setArrayIndex(i);
        ProfileSettings profile = readProfile(*m_settings);
        if (!profile.name.trimmed().isEmpty()) {
            profiles.append(profile);
        }
    }
    m_settings->endArray();

    if (profiles.isEmpty()) {
        profiles.append(defaultProfile());
    }
    return profiles;
}

void AppSettings::setProfiles(const QList<ProfileSettings> &profiles)
{
    // A shorter list must not leave the entries of a longer one behind.
    m_settings->remove(u"profiles"_s);
    m_settings->beginWriteArray(u"profiles"_s, int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        m_settings->setArrayIndex(i);
        writeProfile(*m_settings, profiles.at(i));
    }
    m_settings->endArray();
}

QString AppSettings::currentProfile() const
{
    const QList<ProfileSettings> stored = profiles();
    const QString name = m_settings->value(u"providers/current"_s).toString();
    for (const ProfileSettings &profile : stored) {
        if (profile.name == name) {
            return name;
        }
    }
    return stored.first().name;
}

void AppSettings::setCurrentProfile(const QString &name)
{
    m_settings->setValue(u"providers/current"_s, name);
}

QString AppSettings::systemPrompt() const
{
    return m_settings->value(u"providers/systemPrompt"_s).toString();
}

void AppSettings::setSystemPrompt(const QString &prompt)
{
    m_settings->setValue(u"providers/systemPrompt"_s, prompt);
}

ProviderSettings AppSettings::provider() const
{
    const QString current = currentProfile();
    ProviderSettings provider;
    for (const ProfileSettings &profile : profiles()) {
        if (profile.name == current) {
            provider.profile = profile.name;
            provider.baseUrl = profile.baseUrl;
            provider.model = profile.defaultModel;
        }
    }
    provider.systemPrompt = systemPrompt();
    return provider;
}

void AppSettings::setProvider(const ProviderSettings &provider)
{
    QList<ProfileSettings> stored;
    const int size = m_settings->beginReadArray(u"profiles"_s);
    m_settings->endArray();
    if (size > 0) {
        stored = profiles();
    }

    auto it = std::find_if(stored.begin(), stored.end(), [&provider](const auto &profile) {
        return profile.name == provider.profile;
    });
    if (it == stored.end()) {
        ProfileSettings added;
        added.name = provider.profile;
        added.presetId = ProviderPresets::idForBaseUrl(provider.baseUrl);
        stored.append(added);
        it = std::prev(stored.end());
    }
    it->baseUrl = provider.baseUrl;
    it->defaultModel = provider.model;
    if (!provider.model.isEmpty() && !it->models.contains(provider.model)) {
        it->models.append(provider.model);
    }

    setProfiles(stored);
    setCurrentProfile(provider.profile);
    setSystemPrompt(provider.systemPrompt);
}

void AppSettings::migrateSingleProvider()
{
    const QString legacy = u"provider"_s;
    if (!m_settings->childGroups().contains(legacy)) {
        return;
    }
    if (m_settings->contains(u"profiles/size"_s)) {
        m_settings->remove(legacy);
        return;
    }

    // The one profile of older versions: its key already lives under the account of its
    // name, so keeping the name keeps the key.
    m_settings->beginGroup(legacy);
    ProfileSettings profile;
    profile.name = m_settings->value(u"profile"_s, profile.name).toString();
    const QUrl baseUrl(m_settings->value(u"baseUrl"_s).toString());
    if (baseUrl.isValid() && !baseUrl.isEmpty()) {
        profile.baseUrl = baseUrl;
    }
    profile.defaultModel = m_settings->value(u"model"_s).toString();
    const QString prompt = m_settings->value(u"systemPrompt"_s).toString();
    m_settings->endGroup();

    profile.presetId = ProviderPresets::idForBaseUrl(profile.baseUrl);
    if (const auto preset = ProviderPresets::find(profile.presetId)) {
        profile.apiKeyHeader = preset->apiKeyHeader;
        profile.apiVersion = preset->apiVersion;
    }
    if (!profile.defaultModel.isEmpty()) {
        profile.models.append(profile.defaultModel);
    }

    setProfiles({profile});
    setCurrentProfile(profile.name);
    setSystemPrompt(prompt);
    m_settings->remove(legacy);
    m_settings->sync();
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings->value(u"window/geometry"_s).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(u"window/geometry"_s, geometry);
}

QByteArray AppSettings::windowState() const
{
    return m_settings->value(u"window/state"_s).toByteArray();
}

void AppSettings::setWindowState(const QByteArray &state)
{
    m_settings->setValue(u"window/state"_s, state);
}

QByteArray AppSettings::splitterState() const
{
    return m_settings->value(u"window/splitter"_s).toByteArray();
}

void AppSettings::setSplitterState(const QByteArray &state)
{
    m_settings->setValue(u"window/splitter"_s, state);
}

QString AppSettings::queueUrl() const
{
    const QString url = m_settings->value(u"queue/url"_s).toString().trimmed();
    return url.isEmpty() ? u"memory"_s : url;
}

void AppSettings::setQueueUrl(const QString &url)
{
    m_settings->setValue(u"queue/url"_s, url);
}

bool AppSettings::runWorkers() const
{
    return m_settings->value(u"queue/runWorkers"_s, true).toBool();
}

void AppSettings::setRunWorkers(bool run)
{
    m_settings->setValue(u"queue/runWorkers"_s, run);
}

QString AppSettings::location() const
{
    return m_settings->fileName();
}

void AppSettings::sync()
{
    m_settings->sync();
}

bool AppSettings::enterSends() const
{
    return m_settings->value(u"ui/enterSends"_s, true).toBool();
}

void AppSettings::setEnterSends(bool enterSends)
{
    m_settings->setValue(u"ui/enterSends"_s, enterSends);
}

QString AppSettings::language() const
{
    return m_settings->value(u"ui/language"_s).toString();
}

void AppSettings::setLanguage(const QString &language)
{
    m_settings->setValue(u"ui/language"_s, language);
}
