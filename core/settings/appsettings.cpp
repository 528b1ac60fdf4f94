#include "core/settings/appsettings.h"

using namespace Qt::StringLiterals;

AppSettings::AppSettings()
    : m_settings(std::make_unique<QSettings>())
{}

AppSettings::AppSettings(const QString &iniFile)
    : m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{}

ProviderSettings AppSettings::provider() const
{
    ProviderSettings provider;
    m_settings->beginGroup(u"provider"_s);

    provider.profile = m_settings->value(u"profile"_s, provider.profile).toString();
    const QUrl baseUrl(m_settings->value(u"baseUrl"_s).toString());
    if (baseUrl.isValid() && !baseUrl.isEmpty()) {
        provider.baseUrl = baseUrl;
    }
    provider.model = m_settings->value(u"model"_s).toString();
    provider.systemPrompt = m_settings->value(u"systemPrompt"_s).toString();

    m_settings->endGroup();
    return provider;
}

void AppSettings::setProvider(const ProviderSettings &provider)
{
    m_settings->beginGroup(u"provider"_s);
    m_settings->setValue(u"profile"_s, provider.profile);
    m_settings->setValue(u"baseUrl"_s, provider.baseUrl.toString());
    m_settings->setValue(u"model"_s, provider.model);
    m_settings->setValue(u"systemPrompt"_s, provider.systemPrompt);
    m_settings->endGroup();
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
