#pragma once

#include "core/settings/appsettings.h"

#include <QCoroTask>

#include <QWidget>

#include <memory>

class AppSettings;
class ProfileRegistry;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class SecretStore;

// Where the user sets the provider of the embedded queue: base URL, model, API key and an
// optional system prompt. Applying stores the settings in AppSettings, the key in the
// SecretStore (never in the settings file), and updates the profile the workers serve.
class ProviderSettingsPanel : public QWidget
{
    Q_OBJECT

public:
    ProviderSettingsPanel(AppSettings *settings,
                          SecretStore *secrets,
                          std::shared_ptr<ProfileRegistry> profiles,
                          QWidget *parent = nullptr);

    // What the fields hold now.
    ProviderSettings currentSettings() const;

    // True once the stored settings and key were loaded into the fields and the registry.
    bool isReady() const;

    // True when the fields hold something that apply() has not stored yet.
    bool hasUnappliedChanges() const;

    QLineEdit *baseUrlEdit() const;
    QLineEdit *modelEdit() const;
    QLineEdit *apiKeyEdit() const;
    QPushButton *applyButton() const;
    QLabel *keyLocationLabel() const;

    // Stores what the fields hold; applied() reports the outcome, which is also returned.
    QCoro::Task<bool> apply();

Q_SIGNALS:
    void ready();
    void applied(bool ok, const QString &message);

private:
    QCoro::Task<void> load();
    void updateRegistry(const ProviderSettings &provider, const QString &apiKey);
    void showKeyLocation();
    static QString keyAccount(const QString &profile);

    AppSettings *m_settings;
    SecretStore *m_secrets;
    std::shared_ptr<ProfileRegistry> m_profiles;
    ProviderSettings m_loaded;
    QString m_appliedKey;
    bool m_ready = false;

    QLineEdit *m_baseUrl;
    QLineEdit *m_model;
    QLineEdit *m_apiKey;
    QPlainTextEdit *m_systemPrompt;
    QLabel *m_keyLocation;
    QLabel *m_message;
    QPushButton *m_apply;
};
