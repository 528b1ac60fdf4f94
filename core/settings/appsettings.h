#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QUrl>

#include <memory>

// What the user chose for the provider of the embedded queue. Never holds the API key: that
// lives in the SecretStore.
struct ProviderSettings
{
    QString profile = QStringLiteral("default");
    QUrl baseUrl{QStringLiteral("https://api.openai.com/v1")};
    QString model;
    QString systemPrompt;

    friend bool operator==(const ProviderSettings &, const ProviderSettings &) = default;
};

// The app's persistent preferences, through QSettings (the registry on Windows, an .ini-like
// file under ~/.config elsewhere). Plain text by nature, so nothing secret goes in here.
class AppSettings
{
public:
    // The settings of the application (organisation and application name of QCoreApplication).
    AppSettings();

    // Settings kept in one file, for tests and portable setups.
    explicit AppSettings(const QString &iniFile);

    ProviderSettings provider() const;
    void setProvider(const ProviderSettings &provider);

    // The main window's geometry and dock layout, as QMainWindow saves them.
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

    // The queue URL without any password ("memory" by default; the password lives in the
    // SecretStore) and whether the app's own workers serve it. Read once at start.
    QString queueUrl() const;
    void setQueueUrl(const QString &url);
    bool runWorkers() const;
    void setRunWorkers(bool run);

    // Where the settings are stored, for the user to see.
    QString location() const;

    void sync();

private:
    std::unique_ptr<QSettings> m_settings;
};
