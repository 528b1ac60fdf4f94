#pragma once

#include "core/settings/profilesettings.h"

#include <QByteArray>
#include <QList>
#include <QSettings>
#include <QString>
#include <QUrl>

#include <memory>

// The selected profile as the chat window uses it: its name, base URL and default model, with
// the system prompt for new conversations. Never holds the API key: that lives in the
// SecretStore.
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

    // The provider profiles, in the user's order; never empty (a fresh file gives one
    // "default" profile on OpenAI). Stored under [profiles] without any key or password.
    // Settings written before profiles existed (a single [provider] group) are moved into
    // this form when the file is opened.
    QList<ProfileSettings> profiles() const;
    void setProfiles(const QList<ProfileSettings> &profiles);

    // The profile selected in the settings; the first one when the stored name is gone.
    QString currentProfile() const;
    void setCurrentProfile(const QString &name);

    // The system prompt for new conversations.
    QString systemPrompt() const;
    void setSystemPrompt(const QString &prompt);

    // The selected profile as ProviderSettings. setProvider() updates that profile (adding it
    // when it does not exist: its base URL, and the model as default model), selects it and
    // stores the system prompt.
    ProviderSettings provider() const;
    void setProvider(const ProviderSettings &provider);

    // The main window's geometry and dock layout, as QMainWindow saves them.
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

    // Where the split between the conversation and the composer sits (QSplitter's state).
    QByteArray splitterState() const;
    void setSplitterState(const QByteArray &state);

    // The queue URL without any password ("memory" by default; the password lives in the
    // SecretStore) and whether the app's own workers serve it. Read once at start.
    QString queueUrl() const;
    void setQueueUrl(const QString &url);
    bool runWorkers() const;
    void setRunWorkers(bool run);

    // Whether Enter sends a prompt (Shift+Enter breaks the line) or Ctrl+Enter does.
    bool enterSends() const;
    void setEnterSends(bool enterSends);

    // The interface language chosen ("en", "zh_CN"), or empty to follow the system.
    QString language() const;
    void setLanguage(const QString &language);

    // Where the settings are stored, for the user to see.
    QString location() const;

    void sync();

private:
    void migrateSingleProvider();

    std::unique_ptr<QSettings> m_settings;
};
