#include "ui/settings/providersettingspanel.h"

#include "core/settings/profileregistry.h"
#include "core/settings/secretstore.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

ProviderSettingsPanel::ProviderSettingsPanel(AppSettings *settings,
                                             SecretStore *secrets,
                                             std::shared_ptr<ProfileRegistry> profiles,
                                             QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_secrets(secrets)
    , m_profiles(std::move(profiles))
    , m_baseUrl(new QLineEdit(this))
    , m_model(new QLineEdit(this))
    , m_apiKey(new QLineEdit(this))
    , m_systemPrompt(new QPlainTextEdit(this))
    , m_keyLocation(new QLabel(this))
    , m_message(new QLabel(this))
    , m_apply(new QPushButton(tr("Apply"), this))
{
    m_baseUrl->setPlaceholderText(u"https://api.openai.com/v1"_s);
    m_baseUrl->setToolTip(tr("The OpenAI-compatible endpoint; /chat/completions is appended."));
    m_model->setPlaceholderText(tr("e.g. gpt-4o-mini, deepseek-reasoner, qwen2.5"));
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setPlaceholderText(tr("Leave empty for a local server without a key"));
    m_systemPrompt->setPlaceholderText(tr("Optional"));
    m_systemPrompt->setMaximumHeight(m_systemPrompt->fontMetrics().lineSpacing() * 5);
    m_systemPrompt->setTabChangesFocus(true);

    m_keyLocation->setWordWrap(true);
    m_keyLocation->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_apply->setEnabled(false);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Base URL"), m_baseUrl);
    form->addRow(tr("Model"), m_model);
    form->addRow(tr("API key"), m_apiKey);
    form->addRow(QString(), m_keyLocation);
    form->addRow(tr("System prompt"), m_systemPrompt);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_apply, 0, Qt::AlignRight);
    layout->addWidget(m_message);
    layout->addStretch(1);

    connect(m_apply, &QPushButton::clicked, this, [this] { apply(); });
    connect(m_secrets, &SecretStore::storageChanged, this, &ProviderSettingsPanel::showKeyLocation);
    showKeyLocation();
    load();
}

ProviderSettings ProviderSettingsPanel::currentSettings() const
{
    ProviderSettings provider = m_loaded;
    const QString baseUrl = m_baseUrl->text().trimmed();
    provider.baseUrl = QUrl(baseUrl.isEmpty() ? m_baseUrl->placeholderText() : baseUrl);
    provider.model = m_model->text().trimmed();
    provider.systemPrompt = m_systemPrompt->toPlainText();
    return provider;
}

bool ProviderSettingsPanel::isReady() const
{
    return m_ready;
}

bool ProviderSettingsPanel::hasUnappliedChanges() const
{
    return currentSettings() != m_loaded || m_apiKey->text().trimmed() != m_appliedKey;
}

QLineEdit *ProviderSettingsPanel::baseUrlEdit() const
{
    return m_baseUrl;
}

QLineEdit *ProviderSettingsPanel::modelEdit() const
{
    return m_model;
}

QLineEdit *ProviderSettingsPanel::apiKeyEdit() const
{
    return m_apiKey;
}

QPushButton *ProviderSettingsPanel::applyButton() const
{
    return m_apply;
}

QLabel *ProviderSettingsPanel::keyLocationLabel() const
{
    return m_keyLocation;
}

QString ProviderSettingsPanel::keyAccount(const QString &profile)
{
    return u"profile/"_s + profile + u"/api-key"_s;
}

QCoro::Task<void> ProviderSettingsPanel::load()
{
    m_loaded = m_settings->provider();
    m_baseUrl->setText(m_loaded.baseUrl.toString());
    m_model->setText(m_loaded.model);
    m_systemPrompt->setPlainText(m_loaded.systemPrompt);

    QPointer<ProviderSettingsPanel> self(this);
    const auto key = co_await m_secrets->read(keyAccount(m_loaded.profile));
    if (!self) {
        co_return;
    }

    QString apiKey;
    if (key) {
        apiKey = *key;
    } else {
        m_message->setText(tr("Could not read the API key: %1").arg(key.error().message));
    }
    m_apiKey->setText(apiKey);
    m_appliedKey = apiKey;
    updateRegistry(m_loaded, apiKey);

    m_ready = true;
    m_apply->setEnabled(true);
    Q_EMIT ready();
}

QCoro::Task<bool> ProviderSettingsPanel::apply()
{
    const ProviderSettings provider = currentSettings();
    const QString apiKey = m_apiKey->text().trimmed();
    if (!provider.baseUrl.isValid() || provider.baseUrl.scheme().isEmpty()) {
        m_message->setText(tr("The base URL is not valid."));
        Q_EMIT applied(false, m_message->text());
        co_return false;
    }

    m_apply->setEnabled(false);
    m_settings->setProvider(provider);
    m_settings->sync();
    m_loaded = provider;

    QPointer<ProviderSettingsPanel> self(this);
    // Two statements, not `?:` around co_await: GCC 12 miscompiles that form.
    Result<void, SecretError> stored;
    if (apiKey.isEmpty()) {
        stored = co_await m_secrets->remove(keyAccount(provider.profile));
    } else {
        stored = co_await m_secrets->write(keyAccount(provider.profile), apiKey);
    }
    if (!self) {
        co_return false;
    }
    m_apply->setEnabled(true);

    // The workers use the key even when the keychain refused to keep it.
    m_appliedKey = apiKey;
    updateRegistry(provider, apiKey);
    if (!stored) {
        m_message->setText(tr("Settings applied, but the keychain refused the key: %1")
                                   .arg(stored.error().message));
        Q_EMIT applied(false, m_message->text());
        co_return true;
    }
    const bool sessionOnly = m_secrets->storage() == SecretStore::Storage::SessionOnly;
    m_message->setText(sessionOnly && !apiKey.isEmpty()
                               ? tr("Settings applied. The API key is kept for this session "
                                    "only and will not be saved.")
                               : tr("Settings applied."));
    Q_EMIT applied(true, m_message->text());
    co_return true;
}

void ProviderSettingsPanel::updateRegistry(const ProviderSettings &provider, const QString &apiKey)
{
    ProviderProfile profile;
    if (const auto existing = m_profiles->find(provider.profile)) {
        profile = *existing;
    }
    profile.name = provider.profile;
    profile.baseUrl = provider.baseUrl;
    profile.apiKey = apiKey;
    m_profiles->insert(profile);
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
