#include "ui/settings/providersettingspanel.h"

#include "core/provider/chatstream.h"
#include "core/provider/modelsclient.h"
#include "core/settings/profileregistry.h"
#include "core/settings/providerpresets.h"
#include "core/settings/secretstore.h"
#include "core/worker/networkpool.h"
#include "ui/widgets/longtext.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QSet>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// The panel's own calls answer a person waiting at the screen: fail within half a minute.
constexpr std::chrono::milliseconds kConnectLimit = 10s;
constexpr std::chrono::milliseconds kAnswerLimit = 20s;

constexpr const char *kAzurePreset = "azure-openai";

ProfileSettings fromPreset(const ProviderPreset &preset, const QString &name)
{
    ProfileSettings profile;
    profile.name = name;
    profile.presetId = preset.id;
    profile.baseUrl = preset.baseUrl;
    profile.apiKeyHeader = preset.apiKeyHeader;
    profile.apiVersion = preset.apiVersion;
    profile.models = preset.models;
    profile.defaultModel = preset.models.value(0);
    profile.sendReasoning = preset.sendReasoning;
    return profile;
}

bool usesProxyServer(ProxySettings::Type type)
{
    return type == ProxySettings::Type::Http || type == ProxySettings::Type::Socks5;
}

QString hostOf(const QUrl &url)
{
    return url.host().isEmpty() ? url.toString() : url.host();
}

} // namespace

ProviderSettingsPanel::ProviderSettingsPanel(AppSettings *settings,
                                             SecretStore *secrets,
                                             std::shared_ptr<ProfileRegistry> profiles,
                                             QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_secrets(secrets)
    , m_profiles(std::move(profiles))
    , m_list(new QListWidget(this))
    , m_add(new QToolButton(this))
    , m_duplicate(new QPushButton(tr("Duplicate"), this))
    , m_rename(new QPushButton(tr("Rename"), this))
    , m_remove(new QPushButton(tr("Remove"), this))
    , m_form(new QFormLayout)
    , m_preset(new QLabel(this))
    , m_baseUrl(new QLineEdit(this))
    , m_apiKey(new QLineEdit(this))
    , m_keyHeader(new QLineEdit(this))
    , m_apiVersion(new QLineEdit(this))
    , m_models(new QListWidget(this))
    , m_addModel(new QPushButton(tr("Add"), this))
    , m_removeModel(new QPushButton(tr("Remove"), this))
    , m_fetchModels(new QPushButton(tr("Fetch models"), this))
    , m_defaultModel(new QComboBox(this))
    , m_proxyType(new QComboBox(this))
    , m_proxyHost(new QLineEdit(this))
    , m_proxyPort(new QSpinBox(this))
    , m_proxyUser(new QLineEdit(this))
    , m_proxyPassword(new QLineEdit(this))
    , m_sendReasoning(new QCheckBox(tr("Send earlier reasoning back"), this))
    , m_systemPrompt(new QPlainTextEdit(this))
    , m_test(new QPushButton(tr("Test connection"), this))
    , m_connection(new QLabel(this))
    , m_keyLocation(new QLabel(this))
    , m_message(new QLabel(this))
    , m_apply(new QPushButton(tr("Apply"), this))
{
    buildForm();
    connect(m_secrets, &SecretStore::storageChanged, this, &ProviderSettingsPanel::showKeyLocation);
    showKeyLocation();
    load();
}

void ProviderSettingsPanel::buildForm()
{
    // The profile list and its buttons.
    m_list->setMaximumHeight(m_list->fontMetrics().lineSpacing() * 7);
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_add->setText(tr("Add"));
    m_add->setPopupMode(QToolButton::InstantPopup);
    auto *presetMenu = new QMenu(m_add);
    for (const ProviderPreset &preset : ProviderPresets::builtIn()) {
        const QString id = preset.id;
        presetMenu->addAction(preset.displayName(), this, [this, id] { addProfile(id); });
    }
    m_add->setMenu(presetMenu);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_add);
    listButtons->addWidget(m_duplicate);
    listButtons->addWidget(m_rename);
    listButtons->addWidget(m_remove);
    listButtons->addStretch(1);

    // The fields of the selected profile.
    m_preset->setTextFormat(Qt::PlainText);
    m_baseUrl->setToolTip(tr("The OpenAI-compatible endpoint; /chat/completions is appended."));
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_keyHeader->setPlaceholderText(tr("Authorization: Bearer"));
    m_keyHeader->setToolTip(tr("Send the key in this header instead (Azure OpenAI: api-key)."));
    m_apiVersion->setPlaceholderText(u"2024-10-21"_s);
    m_apiVersion->setToolTip(tr("Appended to every request as ?api-version= (Azure OpenAI)."));
    m_models->setMaximumHeight(m_models->fontMetrics().lineSpacing() * 8);
    m_models->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_defaultModel->setEditable(true);
    m_defaultModel->setInsertPolicy(QComboBox::NoInsert);
    m_defaultModel->lineEdit()->setPlaceholderText(tr("e.g. gpt-4o-mini, deepseek-reasoner, "
                                                      "qwen2.5"));
    m_proxyType->addItem(tr("System default"), int(ProxySettings::Type::System));
    m_proxyType->addItem(tr("No proxy"), int(ProxySettings::Type::None));
    m_proxyType->addItem(tr("HTTP"), int(ProxySettings::Type::Http));
    m_proxyType->addItem(tr("SOCKS5"), int(ProxySettings::Type::Socks5));
    m_proxyPort->setRange(0, 65535);
    m_proxyPort->setSpecialValueText(tr("port"));
    m_proxyHost->setPlaceholderText(tr("host"));
    m_proxyUser->setPlaceholderText(tr("user (optional)"));
    m_proxyPassword->setPlaceholderText(tr("password (optional)"));
    m_proxyPassword->setEchoMode(QLineEdit::Password);
    m_sendReasoning->setToolTip(tr("Send the reasoning of earlier answers back as "
                                   "reasoning_content. Only for providers that ask for it: "
                                   "some refuse requests that carry it."));
    m_systemPrompt->setPlaceholderText(tr("Optional; used for new conversations"));
    m_systemPrompt->setMaximumHeight(m_systemPrompt->fontMetrics().lineSpacing() * 5);
    m_systemPrompt->setTabChangesFocus(true);
    for (QLabel *label : {m_connection, m_keyLocation, m_message}) {
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_apply->setEnabled(false);
    m_fetchModels->setEnabled(false);
    m_test->setEnabled(false);

    auto *modelButtons = new QHBoxLayout;
    modelButtons->addWidget(m_addModel);
    modelButtons->addWidget(m_removeModel);
    modelButtons->addStretch(1);
    modelButtons->addWidget(m_fetchModels);
    auto *models = new QVBoxLayout;
    models->addWidget(m_models);
    models->addLayout(modelButtons);

    auto *proxyServer = new QHBoxLayout;
    proxyServer->addWidget(m_proxyHost, 1);
    proxyServer->addWidget(m_proxyPort);
    auto *proxyLogin = new QHBoxLayout;
    proxyLogin->addWidget(m_proxyUser);
    proxyLogin->addWidget(m_proxyPassword);

    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->addRow(tr("Provider"), m_preset);
    m_form->addRow(tr("Base URL"), m_baseUrl);
    m_form->addRow(tr("API key"), m_apiKey);
    m_form->addRow(QString(), m_keyLocation);
    m_form->addRow(tr("Key header"), m_keyHeader);
    m_form->addRow(tr("API version"), m_apiVersion);
    m_form->addRow(tr("Models"), models);
    m_form->addRow(tr("Default model"), m_defaultModel);
    m_form->addRow(tr("Proxy"), m_proxyType);
    m_form->addRow(tr("Proxy server"), proxyServer);
    m_form->addRow(tr("Proxy login"), proxyLogin);
    m_form->addRow(QString(), m_sendReasoning);
    m_form->addRow(tr("System prompt"), m_systemPrompt);

    auto *checks = new QHBoxLayout;
    checks->addWidget(m_test);
    checks->addStretch(1);
    checks->addWidget(m_apply);

    // Everything scrolls: the panel lives in a dock that may be short.
    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->addWidget(m_list);
    contentLayout->addLayout(listButtons);
    contentLayout->addLayout(m_form);
    contentLayout->addLayout(checks);
    contentLayout->addWidget(m_connection);
    contentLayout->addWidget(m_message);
    contentLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    connect(m_list, &QListWidget::currentRowChanged, this, &ProviderSettingsPanel::showDraft);
    connect(m_list,
            &QListWidget::itemChanged,
            this,
            &ProviderSettingsPanel::onProfileRenamedInList);
    connect(m_duplicate, &QPushButton::clicked, this, [this] { duplicateProfile(); });
    connect(m_rename, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem *item = m_list->currentItem()) {
            m_list->editItem(item);
        }
    });
    connect(m_remove, &QPushButton::clicked, this, [this] { removeProfile(); });
    connect(m_addModel, &QPushButton::clicked, this, [this] {
        auto *item = new QListWidgetItem;
        item->setFlags(item->flags() | Qt::ItemIsEditable);
        m_models->addItem(item);
        m_models->setCurrentItem(item);
        m_models->editItem(item);
    });
    connect(m_removeModel, &QPushButton::clicked, this, [this] {
        delete m_models->currentItem();
        storeForm();
        fillModelChoices();
    });
    connect(m_models, &QListWidget::itemChanged, this, [this] {
        if (m_filling) {
            return;
        }
        storeForm();
        fillModelChoices();

        // An entry left empty goes, once the view has finished with it.
        QTimer::singleShot(0, this, [this] {
            for (int i = m_models->count() - 1; i >= 0; --i) {
                if (m_models->item(i)->text().trimmed().isEmpty()
                    && !m_models->isPersistentEditorOpen(m_models->item(i))) {
                    delete m_models->takeItem(i);
                }
            }
        });
    });
    connect(m_fetchModels, &QPushButton::clicked, this, [this] { fetchModels(); });
    connect(m_test, &QPushButton::clicked, this, [this] { testConnection(); });
    connect(m_apply, &QPushButton::clicked, this, [this] { apply(); });

    for (QLineEdit *edit : {m_baseUrl,
                            m_apiKey,
                            m_keyHeader,
                            m_apiVersion,
                            m_proxyHost,
                            m_proxyUser,
                            m_proxyPassword,
                            m_defaultModel->lineEdit()}) {
        connect(edit, &QLineEdit::textChanged, this, &ProviderSettingsPanel::storeForm);
    }
    connect(m_proxyType, &QComboBox::currentIndexChanged, this, [this] {
        storeForm();
        updateRowVisibility();
    });
    connect(m_proxyPort, &QSpinBox::valueChanged, this, &ProviderSettingsPanel::storeForm);
    connect(m_sendReasoning, &QCheckBox::toggled, this, &ProviderSettingsPanel::storeForm);
}

ProviderSettings ProviderSettingsPanel::currentSettings() const
{
    ProviderSettings provider;
    if (m_current >= 0 && m_current < m_drafts.size()) {
        const ProfileSettings &profile = m_drafts.at(m_current).settings;
        provider.profile = profile.name;
        provider.baseUrl = profile.baseUrl;
        provider.model = profile.defaultModel;
    }
    provider.systemPrompt = m_systemPrompt->toPlainText();
    return provider;
}

bool ProviderSettingsPanel::isReady() const
{
    return m_ready;
}

bool ProviderSettingsPanel::hasUnappliedChanges() const
{
    const QString current = currentSettings().profile;
    return m_drafts != m_applied || current != m_appliedCurrent
           || m_systemPrompt->toPlainText() != m_appliedPrompt;
}

QStringList ProviderSettingsPanel::profileNames() const
{
    QStringList names;
    for (const Draft &draft : m_applied) {
        names.append(draft.settings.name);
    }
    return names;
}

QStringList ProviderSettingsPanel::modelsFor(const QString &profile) const
{
    for (const Draft &draft : m_applied) {
        if (draft.settings.name == profile) {
            return draft.settings.modelChoices();
        }
    }
    return {};
}

QString ProviderSettingsPanel::defaultModelFor(const QString &profile) const
{
    for (const Draft &draft : m_applied) {
        if (draft.settings.name == profile) {
            return draft.settings.defaultModel;
        }
    }
    return {};
}

QString ProviderSettingsPanel::addProfile(const QString &presetId)
{
    std::optional<ProviderPreset> preset = ProviderPresets::find(presetId);
    if (!preset) {
        preset = ProviderPresets::find(ProviderPresets::customId());
    }
    Draft draft;
    const QString name = uniqueName(preset ? preset->id : ProviderPresets::customId());
    draft.settings = preset ? fromPreset(*preset, name) : ProfileSettings{};
    draft.settings.name = name;
    m_drafts.append(draft);

    auto *item = new QListWidgetItem(name);
    item->setFlags(item->flags() | Qt::ItemIsEditable);
    m_filling = true;
    m_list->addItem(item);
    m_filling = false;
    m_list->setCurrentRow(int(m_drafts.size()) - 1);
    if (preset && preset->baseUrlIsTemplate) {
        m_message->setText(tr("Replace the base URL of \"%1\" with your own endpoint.").arg(name));
    }
    return name;
}

void ProviderSettingsPanel::duplicateProfile()
{
    if (m_current < 0) {
        return;
    }
    Draft copy = m_drafts.at(m_current);
    copy.settings.name = uniqueName(copy.settings.name + u"-copy"_s);
    copy.storedName.clear();
    m_drafts.append(copy);

    auto *item = new QListWidgetItem(copy.settings.name);
    item->setFlags(item->flags() | Qt::ItemIsEditable);
    m_filling = true;
    m_list->addItem(item);
    m_filling = false;
    m_list->setCurrentRow(int(m_drafts.size()) - 1);
}

bool ProviderSettingsPanel::renameProfile(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (m_current < 0) {
        return false;
    }
    if (trimmed.isEmpty()) {
        m_message->setText(tr("A profile needs a name."));
        return false;
    }
    const int existing = indexOf(trimmed);
    if (existing >= 0 && existing != m_current) {
        m_message->setText(tr("There is already a profile named \"%1\".").arg(trimmed));
        return false;
    }

    m_drafts[m_current].settings.name = trimmed;
    m_filling = true;
    m_list->item(m_current)->setText(trimmed);
    m_filling = false;
    return true;
}

bool ProviderSettingsPanel::removeProfile()
{
    if (m_current < 0) {
        return false;
    }
    if (m_drafts.size() <= 1) {
        m_message->setText(tr("The last profile cannot be removed."));
        return false;
    }

    const int removed = m_current;
    m_drafts.removeAt(removed);
    m_current = -1;
    m_filling = true;
    delete m_list->takeItem(removed);
    m_filling = false;
    m_list->setCurrentRow(std::min(removed, int(m_drafts.size()) - 1));
    return true;
}

void ProviderSettingsPanel::selectProfile(const QString &name)
{
    const int index = indexOf(name);
    if (index >= 0) {
        m_list->setCurrentRow(index);
    }
}

QListWidget *ProviderSettingsPanel::profileList() const
{
    return m_list;
}

QLineEdit *ProviderSettingsPanel::baseUrlEdit() const
{
    return m_baseUrl;
}

QLineEdit *ProviderSettingsPanel::modelEdit() const
{
    return m_defaultModel->lineEdit();
}

QLineEdit *ProviderSettingsPanel::apiKeyEdit() const
{
    return m_apiKey;
}

QListWidget *ProviderSettingsPanel::modelList() const
{
    return m_models;
}

QCheckBox *ProviderSettingsPanel::sendReasoningBox() const
{
    return m_sendReasoning;
}

QPushButton *ProviderSettingsPanel::applyButton() const
{
    return m_apply;
}

QPushButton *ProviderSettingsPanel::fetchModelsButton() const
{
    return m_fetchModels;
}

QPushButton *ProviderSettingsPanel::testConnectionButton() const
{
    return m_test;
}

QLabel *ProviderSettingsPanel::keyLocationLabel() const
{
    return m_keyLocation;
}

QLabel *ProviderSettingsPanel::connectionLabel() const
{
    return m_connection;
}

QCoro::Task<void> ProviderSettingsPanel::load()
{
    const QList<ProfileSettings> stored = m_settings->profiles();
    m_appliedCurrent = m_settings->currentProfile();
    m_appliedPrompt = m_settings->systemPrompt();

    QPointer<ProviderSettingsPanel> self(this);
    QList<Draft> drafts;
    QStringList errors;
    for (const ProfileSettings &profile : stored) {
        Draft draft;
        draft.settings = profile;
        draft.storedName = profile.name;

        const auto key = co_await m_secrets->read(apiKeyAccount(profile.name));
        if (!self) {
            co_return;
        }
        if (key) {
            draft.apiKey = *key;
        } else {
            errors.append(key.error().message);
        }
        if (usesProxyServer(profile.proxy.type) && !profile.proxy.user.isEmpty()) {
            const auto password = co_await m_secrets->read(proxyPasswordAccount(profile.name));
            if (!self) {
                co_return;
            }
            if (password) {
                draft.proxyPassword = *password;
            } else {
                errors.append(password.error().message);
            }
        }
        drafts.append(draft);
    }

    m_drafts = drafts;
    m_applied = drafts;
    m_filling = true;
    setPlainTextSafely(m_systemPrompt, m_appliedPrompt);
    m_list->clear();
    for (const Draft &draft : std::as_const(m_drafts)) {
        auto *item = new QListWidgetItem(draft.settings.name, m_list);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    }
    m_filling = false;
    m_list->setCurrentRow(std::max(indexOf(m_appliedCurrent), 0));
    if (!errors.isEmpty()) {
        m_message->setText(tr("Could not read the API key: %1").arg(errors.first()));
    }
    updateRegistry(m_drafts);

    m_ready = true;
    m_apply->setEnabled(true);
    m_fetchModels->setEnabled(true);
    m_test->setEnabled(true);
    Q_EMIT ready();
}

QCoro::Task<bool> ProviderSettingsPanel::apply()
{
    storeForm();
    if (const QString problem = validate(); !problem.isEmpty()) {
        m_message->setText(problem);
        Q_EMIT applied(false, problem);
        co_return false;
    }

    const QStringList namesBefore = profileNames();
    QHash<QString, QStringList> modelsBefore;
    for (const QString &name : namesBefore) {
        modelsBefore.insert(name, modelsFor(name) << defaultModelFor(name));
    }

    // What is applied is what the panel holds now; edits made while the keychain answers
    // stay unapplied.
    QList<Draft> snapshot = m_drafts;
    QList<ProfileSettings> profiles;
    for (const Draft &draft : std::as_const(snapshot)) {
        profiles.append(draft.settings);
    }
    const QString current = currentSettings().profile;
    const QString prompt = m_systemPrompt->toPlainText();
    m_settings->setProfiles(profiles);
    m_settings->setCurrentProfile(current);
    m_settings->setSystemPrompt(prompt);
    m_settings->sync();

    m_apply->setEnabled(false);
    QPointer<ProviderSettingsPanel> self(this);
    const QString secretError = co_await storeSecrets(snapshot);
    if (!self) {
        co_return false;
    }
    m_apply->setEnabled(true);

    // The workers use the keys even when the keychain refused to keep them.
    updateRegistry(snapshot);
    QSet<QString> appliedNames;
    for (Draft &draft : snapshot) {
        draft.storedName = draft.settings.name;
        appliedNames.insert(draft.storedName);
    }
    for (Draft &draft : m_drafts) {
        if (appliedNames.contains(draft.settings.name)) {
            draft.storedName = draft.settings.name;
        }
    }
    m_applied = snapshot;
    m_appliedCurrent = current;
    m_appliedPrompt = prompt;

    bool changed = profileNames() != namesBefore;
    for (const QString &name : profileNames()) {
        changed = changed || modelsBefore.value(name) != (modelsFor(name) << defaultModelFor(name));
    }
    if (changed) {
        Q_EMIT profilesChanged();
    }

    if (!secretError.isEmpty()) {
        m_message->setText(
                tr("Settings applied, but the keychain refused the key: %1").arg(secretError));
        Q_EMIT applied(false, m_message->text());
        co_return true;
    }
    bool anySecret = false;
    for (const Draft &draft : std::as_const(snapshot)) {
        anySecret = anySecret || !draft.apiKey.isEmpty() || !draft.proxyPassword.isEmpty();
    }
    const bool sessionOnly = m_secrets->storage() == SecretStore::Storage::SessionOnly;
    m_message->setText(sessionOnly && anySecret
                               ? tr("Settings applied. The API key is kept for this session "
                                    "only and will not be saved.")
                               : tr("Settings applied."));
    Q_EMIT applied(true, m_message->text());
    co_return true;
}

QCoro::Task<QString> ProviderSettingsPanel::storeSecrets(QList<Draft> drafts)
{
    // Secrets of profiles that were removed or renamed go; those of the rest are written
    // where they changed. Copies: the user may edit the panel while the keychain answers.
    const QList<Draft> applied = m_applied;
    QSet<QString> kept;
    for (const Draft &draft : drafts) {
        kept.insert(draft.settings.name);
    }

    QPointer<ProviderSettingsPanel> self(this);
    QString error;
    for (const Draft &old : applied) {
        if (kept.contains(old.storedName)) {
            continue;
        }
        for (const QString &account :
             {apiKeyAccount(old.storedName), proxyPasswordAccount(old.storedName)}) {
            const auto removed = co_await m_secrets->remove(account);
            if (!self) {
                co_return QString();
            }
            if (!removed && error.isEmpty()) {
                error = removed.error().message;
            }
        }
    }

    for (const Draft &draft : drafts) {
        const auto before = std::find_if(applied.begin(), applied.end(), [&](const Draft &old) {
            return old.storedName == draft.settings.name;
        });
        const bool known = before != applied.end() && draft.storedName == draft.settings.name;
        const QList<std::pair<QString, QString>> secrets{
                {apiKeyAccount(draft.settings.name), draft.apiKey.trimmed()},
                {proxyPasswordAccount(draft.settings.name), draft.proxyPassword},
        };
        const QStringList previous{known ? before->apiKey.trimmed() : QString(),
                                   known ? before->proxyPassword : QString()};
        for (qsizetype i = 0; i < secrets.size(); ++i) {
            const auto &[account, secret] = secrets.at(i);
            if (known && secret == previous.at(i)) {
                continue;
            }
            // Two statements, not `?:` around co_await: GCC 12 miscompiles that form.
            Result<void, SecretError> stored;
            if (secret.isEmpty()) {
                stored = co_await m_secrets->remove(account);
            } else {
                stored = co_await m_secrets->write(account, secret);
            }
            if (!self) {
                co_return QString();
            }
            if (!stored && error.isEmpty()) {
                error = stored.error().message;
            }
        }
    }
    co_return error;
}

void ProviderSettingsPanel::updateRegistry(const QList<Draft> &drafts)
{
    QSet<QString> names;
    for (const Draft &draft : drafts) {
        ProviderProfile profile;
        if (const auto existing = m_profiles->find(draft.settings.name)) {
            profile = *existing; // keeps limits and timeouts set elsewhere
        }
        const ProviderProfile edited =
                draft.settings.toProviderProfile(draft.apiKey.trimmed(), draft.proxyPassword);
        profile.name = edited.name;
        profile.baseUrl = edited.baseUrl;
        profile.apiKey = edited.apiKey;
        profile.apiKeyHeader = edited.apiKeyHeader;
        profile.apiVersion = edited.apiVersion;
        profile.sendReasoning = edited.sendReasoning;
        profile.proxy = edited.proxy;
        m_profiles->insert(profile);
        names.insert(profile.name);
    }
    for (const Draft &old : std::as_const(m_applied)) {
        if (!old.storedName.isEmpty() && !names.contains(old.storedName)) {
            m_profiles->remove(old.storedName);
        }
    }
}

void ProviderSettingsPanel::showDraft(int index)
{
    m_current = index;
    if (index < 0 || index >= m_drafts.size()) {
        return;
    }
    const Draft &draft = m_drafts.at(index);
    const ProfileSettings &profile = draft.settings;
    const std::optional<ProviderPreset> preset = ProviderPresets::find(profile.presetId);

    m_filling = true;
    m_preset->setText(preset ? preset->displayName() : profile.presetId);
    m_baseUrl->setText(profile.baseUrl.toString());
    m_baseUrl->setPlaceholderText(preset ? preset->baseUrl.toString()
                                         : u"https://api.openai.com/v1"_s);
    m_apiKey->setText(draft.apiKey);
    m_apiKey->setPlaceholderText(preset && !preset->needsKey
                                         ? tr("Leave empty for a local server without a key")
                                         : tr("The key the provider gave you"));
    m_keyHeader->setText(profile.apiKeyHeader);
    m_apiVersion->setText(profile.apiVersion);
    m_models->clear();
    for (const QString &model : profile.models) {
        auto *item = new QListWidgetItem(model, m_models);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    }
    m_proxyType->setCurrentIndex(std::max(m_proxyType->findData(int(profile.proxy.type)), 0));
    m_proxyHost->setText(profile.proxy.host);
    m_proxyPort->setValue(profile.proxy.port);
    m_proxyUser->setText(profile.proxy.user);
    m_proxyPassword->setText(draft.proxyPassword);
    m_sendReasoning->setChecked(profile.sendReasoning);
    m_filling = false;

    fillModelChoices();
    m_connection->clear();
    updateRowVisibility();
}

void ProviderSettingsPanel::storeForm()
{
    if (m_filling || m_current < 0 || m_current >= m_drafts.size()) {
        return;
    }
    Draft &draft = m_drafts[m_current];
    ProfileSettings &profile = draft.settings;

    const QString baseUrl = m_baseUrl->text().trimmed();
    profile.baseUrl = QUrl(baseUrl.isEmpty() ? m_baseUrl->placeholderText() : baseUrl);
    draft.apiKey = m_apiKey->text();
    profile.apiKeyHeader = m_keyHeader->text().trimmed();
    profile.apiVersion = m_apiVersion->text().trimmed();
    profile.models.clear();
    for (int i = 0; i < m_models->count(); ++i) {
        const QString model = m_models->item(i)->text().trimmed();
        if (!model.isEmpty() && !profile.models.contains(model)) {
            profile.models.append(model);
        }
    }
    profile.defaultModel = m_defaultModel->currentText().trimmed();
    profile.proxy.type = ProxySettings::Type(m_proxyType->currentData().toInt());
    profile.proxy.host = m_proxyHost->text().trimmed();
    profile.proxy.port = quint16(m_proxyPort->value());
    profile.proxy.user = m_proxyUser->text().trimmed();
    draft.proxyPassword = m_proxyPassword->text();
    profile.sendReasoning = m_sendReasoning->isChecked();
}

void ProviderSettingsPanel::fillModelChoices()
{
    if (m_current < 0 || m_current >= m_drafts.size()) {
        return;
    }
    const ProfileSettings &profile = m_drafts.at(m_current).settings;
    const QString model = profile.defaultModel;

    // Refilling the box would overwrite its text; the stored default stays as it was.
    m_filling = true;
    m_defaultModel->clear();
    m_defaultModel->addItems(profile.models);
    m_defaultModel->setEditText(model);
    m_filling = false;
}

void ProviderSettingsPanel::updateRowVisibility()
{
    const bool azure =
            m_current >= 0 && m_current < m_drafts.size()
            && m_drafts.at(m_current).settings.presetId == QLatin1StringView(kAzurePreset);
    const bool azureFields =
            azure || !m_keyHeader->text().isEmpty() || !m_apiVersion->text().isEmpty();
    m_form->setRowVisible(m_keyHeader, azureFields);
    m_form->setRowVisible(m_apiVersion, azureFields);

    const auto type = ProxySettings::Type(m_proxyType->currentData().toInt());
    for (QWidget *field : {static_cast<QWidget *>(m_proxyHost),
                           static_cast<QWidget *>(m_proxyPort),
                           static_cast<QWidget *>(m_proxyUser),
                           static_cast<QWidget *>(m_proxyPassword)}) {
        field->setEnabled(usesProxyServer(type));
    }
}

void ProviderSettingsPanel::onProfileRenamedInList(QListWidgetItem *item)
{
    if (m_filling) {
        return;
    }
    const int row = m_list->row(item);
    if (row < 0 || row >= m_drafts.size()) {
        return;
    }
    if (row != m_current) {
        m_list->setCurrentRow(row);
    }
    if (!renameProfile(item->text())) {
        m_filling = true;
        item->setText(m_drafts.at(row).settings.name);
        m_filling = false;
    }
}

QCoro::Task<bool> ProviderSettingsPanel::fetchModels()
{
    storeForm();
    if (m_current < 0) {
        co_return false;
    }
    const ProviderProfile profile = selectedProfile();
    const QString name = profile.name;
    m_fetchModels->setEnabled(false);
    setConnectionMessage(tr("Fetching the models of %1…").arg(hostOf(profile.baseUrl)), true);

    // The manager belongs to this call, so that closing the panel cannot pull it away.
    QPointer<ProviderSettingsPanel> self(this);
    auto network = std::make_unique<QNetworkAccessManager>();
    network->setProxy(NetworkPool::networkProxy(profile.proxy));
    const Result<QStringList, ChatError> models =
            co_await ModelsClient::list(network.get(), profile);
    if (!self) {
        co_return false;
    }
    m_fetchModels->setEnabled(true);

    if (!models) {
        const QString message =
                tr("Could not fetch the models: %1").arg(models.error().toDisplayString());
        setConnectionMessage(message, false);
        Q_EMIT modelsFetched(false, message);
        co_return false;
    }

    // The user may have switched profiles meanwhile: the list belongs to the one asked for.
    const int index = indexOf(name);
    if (index >= 0) {
        ProfileSettings &settings = m_drafts[index].settings;
        for (const QString &model : models.value()) {
            if (!settings.models.contains(model)) {
                settings.models.append(model);
            }
        }
        if (settings.defaultModel.isEmpty()) {
            settings.defaultModel = settings.models.value(0);
        }
        if (index == m_current) {
            showDraft(index);
        }
    }
    const QString message = tr("Models fetched: %1.").arg(models->size());
    setConnectionMessage(message, true);
    Q_EMIT modelsFetched(true, message);
    co_return true;
}

QCoro::Task<bool> ProviderSettingsPanel::testConnection()
{
    storeForm();
    if (m_current < 0) {
        co_return false;
    }
    const ProviderProfile profile = selectedProfile();
    const std::optional<ProviderPreset> preset =
            ProviderPresets::find(m_drafts.at(m_current).settings.presetId);
    const bool listsModels = !preset || preset->listsModels;
    const QString model = m_drafts.at(m_current).settings.defaultModel;
    m_test->setEnabled(false);
    setConnectionMessage(tr("Connecting to %1…").arg(hostOf(profile.baseUrl)), true);

    QPointer<ProviderSettingsPanel> self(this);
    auto network = std::make_unique<QNetworkAccessManager>();
    network->setProxy(NetworkPool::networkProxy(profile.proxy));
    QElapsedTimer clock;
    clock.start();
    std::optional<ChatError> error;
    QString success;
    if (listsModels) {
        const Result<QStringList, ChatError> models =
                co_await ModelsClient::list(network.get(), profile);
        if (models) {
            success = tr("Connected in %1 ms; models listed: %2.")
                              .arg(clock.elapsed())
                              .arg(models->size());
        } else {
            error = models.error();
        }
    } else {
        // Without a model list, the cheapest proof is a one-token answer.
        ChatRequest request;
        request.profile = profile.name;
        request.model = model;
        request.messages = {ChatMessage{u"user"_s, u"Hi"_s, {}}};
        request.maxTokens = 1;
        ChatStream stream(network.get(), profile, request);
        const StreamOutcome outcome = co_await stream.run();
        error = outcome.error;
        success = tr("Connected: %1 answered in %2 ms.").arg(model).arg(clock.elapsed());
    }
    if (!self) {
        co_return false;
    }
    m_test->setEnabled(true);

    const QString message =
            error ? tr("Connection failed: %1").arg(error->toDisplayString()) : success;
    setConnectionMessage(message, !error);
    Q_EMIT connectionTested(!error, message);
    co_return !error;
}

void ProviderSettingsPanel::showKeyLocation()
{
    const bool sessionOnly = m_secrets->storage() == SecretStore::Storage::SessionOnly;
    QString text = m_secrets->storageDescription();
    if (sessionOnly && !m_secrets->fallbackReason().isEmpty()) {
        text += u'\n' + tr("No system keychain answered (%1).").arg(m_secrets->fallbackReason());
    }
    m_keyLocation->setText(text);

    QPalette palette = m_keyLocation->palette();
    palette.setColor(QPalette::WindowText,
                     sessionOnly ? QColor(0xb3, 0x6b, 0x00)
                                 : palette.color(QPalette::PlaceholderText));
    m_keyLocation->setPalette(palette);
}

void ProviderSettingsPanel::setConnectionMessage(const QString &text, bool ok)
{
    m_connection->setText(text);
    QPalette palette = m_connection->palette();
    palette.setColor(QPalette::WindowText,
                     ok ? this->palette().color(QPalette::WindowText) : QColor(0xc0, 0x1c, 0x28));
    m_connection->setPalette(palette);
}

int ProviderSettingsPanel::indexOf(const QString &name) const
{
    for (int i = 0; i < m_drafts.size(); ++i) {
        if (m_drafts.at(i).settings.name == name) {
            return i;
        }
    }
    return -1;
}

QString ProviderSettingsPanel::uniqueName(const QString &base) const
{
    if (indexOf(base) < 0) {
        return base;
    }
    for (int n = 2;; ++n) {
        const QString candidate = base + u'-' + QString::number(n);
        if (indexOf(candidate) < 0) {
            return candidate;
        }
    }
}

ProviderProfile ProviderSettingsPanel::selectedProfile() const
{
    const Draft &draft = m_drafts.at(m_current);
    ProviderProfile profile =
            draft.settings.toProviderProfile(draft.apiKey.trimmed(), draft.proxyPassword);
    profile.timeouts.connect = kConnectLimit;
    profile.timeouts.firstByte = kAnswerLimit;
    profile.timeouts.idle = kAnswerLimit;
    profile.retry.maxAttempts = 1;
    return profile;
}

QString ProviderSettingsPanel::validate() const
{
    QSet<QString> names;
    for (const Draft &draft : m_drafts) {
        const ProfileSettings &profile = draft.settings;
        if (profile.name.trimmed().isEmpty() || names.contains(profile.name)) {
            return tr("Every profile needs a name of its own.");
        }
        names.insert(profile.name);
        const QUrl &url = profile.baseUrl;
        if (!url.isValid() || url.host().isEmpty()
            || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
            return tr("The base URL of \"%1\" is not a valid http:// or https:// URL.")
                    .arg(profile.name);
        }
        if (usesProxyServer(profile.proxy.type)
            && (profile.proxy.host.isEmpty() || profile.proxy.port == 0)) {
            return tr("The proxy of \"%1\" needs a host and a port.").arg(profile.name);
        }
    }
    return {};
}
