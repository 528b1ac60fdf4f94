#pragma once

#include "core/settings/appsettings.h"

#include <QCoroTask>

#include <QWidget>

#include <memory>

class AppSettings;
class ProfileRegistry;
class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QToolButton;
class SecretStore;

// Where the user keeps the provider profiles of the app's workers: a list of named profiles,
// each made from a preset (OpenAI, DeepSeek, Ollama…) and edited here: base URL, API key,
// Azure's key header and api-version, a model list fetched from the provider and edited by
// hand, the default model, a proxy, and whether earlier turns' reasoning is sent back. The
// selected profile is the one currentSettings() describes.
//
// Edits stay in the panel until apply(): it stores the profiles in AppSettings, the keys and
// proxy passwords in the SecretStore (never in the settings file), and puts every profile
// into the ProfileRegistry the workers serve. "Fetch models" and "Test connection" are the
// panel's own network calls: asynchronous, through the profile's proxy, with the values the
// fields hold now.
class ProviderSettingsPanel : public QWidget
{
    Q_OBJECT

public:
    ProviderSettingsPanel(AppSettings *settings,
                          SecretStore *secrets,
                          std::shared_ptr<ProfileRegistry> profiles,
                          QWidget *parent = nullptr);

    // The selected profile as the fields hold it now, with the system prompt.
    ProviderSettings currentSettings() const;

    // True once the stored profiles and their secrets were loaded into the panel and the
    // registry.
    bool isReady() const;

    // True when the panel holds something that apply() has not stored yet.
    bool hasUnappliedChanges() const;

    // The applied profiles: their names in order, the models offered for one (its default
    // model included) and its default model.
    QStringList profileNames() const;
    QStringList modelsFor(const QString &profile) const;
    QString defaultModelFor(const QString &profile) const;

    // Editing the list, as the buttons do. addProfile() takes a preset id and returns the new
    // profile's name; renameProfile() refuses an empty or taken name; removeProfile() keeps
    // the last profile. Each acts on the selected profile and selects its result.
    QString addProfile(const QString &presetId);
    void duplicateProfile();
    bool renameProfile(const QString &name);
    bool removeProfile();
    void selectProfile(const QString &name);

    QListWidget *profileList() const;
    QLineEdit *baseUrlEdit() const;
    QLineEdit *modelEdit() const;
    QLineEdit *apiKeyEdit() const;
    QListWidget *modelList() const;
    QCheckBox *sendReasoningBox() const;
    QPushButton *applyButton() const;
    QPushButton *fetchModelsButton() const;
    QPushButton *testConnectionButton() const;
    QLabel *keyLocationLabel() const;
    QLabel *connectionLabel() const;

    // Stores what the panel holds; applied() reports the outcome, which is also returned.
    QCoro::Task<bool> apply();

    // GET {base}/models for the selected profile; adds the ids to its model list. The
    // outcome is shown under the buttons and reported by modelsFetched().
    QCoro::Task<bool> fetchModels();

    // Checks the selected profile's endpoint and key: GET {base}/models, or a one-token chat
    // where the provider lists no models. The outcome is shown under the buttons and
    // reported by connectionTested().
    QCoro::Task<bool> testConnection();

Q_SIGNALS:
    void ready();
    void applied(bool ok, const QString &message);

    // After apply() changed the set of profiles, their names or their models.
    void profilesChanged();

    void modelsFetched(bool ok, const QString &message);
    void connectionTested(bool ok, const QString &message);

private:
    // One profile as edited here, with its secrets and the name they are stored under.
    struct Draft
    {
        ProfileSettings settings;
        QString apiKey;
        QString proxyPassword;
        QString storedName; // empty until applied once

        friend bool operator==(const Draft &, const Draft &) = default;
    };

    void buildForm();
    QCoro::Task<void> load();
    QCoro::Task<QString> storeSecrets(QList<Draft> drafts);
    void updateRegistry(const QList<Draft> &drafts);
    void showDraft(int index);
    void storeForm();
    void fillModelChoices();
    void updateRowVisibility();
    void onProfileRenamedInList(QListWidgetItem *item);
    void showKeyLocation();
    void setConnectionMessage(const QString &text, bool ok);
    int indexOf(const QString &name) const;
    QString uniqueName(const QString &base) const;
    ProviderProfile selectedProfile() const;
    QString validate() const;

    AppSettings *m_settings;
    SecretStore *m_secrets;
    std::shared_ptr<ProfileRegistry> m_profiles;

    QList<Draft> m_drafts;
    QList<Draft> m_applied;
    QString m_appliedCurrent;
    QString m_appliedPrompt;
    int m_current = -1;
    bool m_ready = false;
    bool m_filling = false;

    QListWidget *m_list;
    QToolButton *m_add;
    QPushButton *m_duplicate;
    QPushButton *m_rename;
    QPushButton *m_remove;
    QFormLayout *m_form;
    QLabel *m_preset;
    QLineEdit *m_baseUrl;
    QLineEdit *m_apiKey;
    QLineEdit *m_keyHeader;
    QLineEdit *m_apiVersion;
    QListWidget *m_models;
    QPushButton *m_addModel;
    QPushButton *m_removeModel;
    QPushButton *m_fetchModels;
    QComboBox *m_defaultModel;
    QComboBox *m_proxyType;
    QLineEdit *m_proxyHost;
    QSpinBox *m_proxyPort;
    QLineEdit *m_proxyUser;
    QLineEdit *m_proxyPassword;
    QCheckBox *m_sendReasoning;
    QPlainTextEdit *m_systemPrompt;
    QPushButton *m_test;
    QLabel *m_connection;
    QLabel *m_keyLocation;
    QLabel *m_message;
    QPushButton *m_apply;
};
