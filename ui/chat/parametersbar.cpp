#include "ui/chat/parametersbar.h"

#include "ui/chat/parametersdialog.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

using namespace Qt::StringLiterals;

ParametersBar::ParametersBar(QWidget *parent)
    : QWidget(parent)
    , m_profile(new QComboBox(this))
    , m_model(new QComboBox(this))
    , m_parameters(new QToolButton(this))
{
    m_profile->setToolTip(tr("The provider profile this conversation is sent to"));
    m_profile->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setToolTip(tr("The model; choose one or type its name"));
    m_model->setMinimumContentsLength(24);
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_parameters->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_parameters->setAutoRaise(true);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 0);
    auto *profileLabel = new QLabel(tr("Profile"), this);
    profileLabel->setBuddy(m_profile);
    auto *modelLabel = new QLabel(tr("Model"), this);
    modelLabel->setBuddy(m_model);
    layout->addWidget(profileLabel);
    layout->addWidget(m_profile);
    layout->addWidget(modelLabel);
    layout->addWidget(m_model, 1);
    layout->addWidget(m_parameters);

    connect(m_profile, &QComboBox::activated, this, [this] {
        m_settings.profile = m_profile->currentText();
        Q_EMIT profileChosen(m_settings.profile);
        Q_EMIT settingsEdited();
    });
    connect(m_model->lineEdit(), &QLineEdit::editingFinished, this, [this] {
        const QString model = m_model->currentText().trimmed();
        if (!m_updating && model != m_settings.model) {
            m_settings.model = model;
            Q_EMIT settingsEdited();
        }
    });
    connect(m_model, &QComboBox::activated, this, [this] {
        const QString model = m_model->currentText().trimmed();
        if (model != m_settings.model) {
            m_settings.model = model;
            Q_EMIT settingsEdited();
        }
    });
    connect(m_parameters, &QToolButton::clicked, this, &ParametersBar::editParameters);
    updateSummary();
}

void ParametersBar::setProfiles(const QStringList &names)
{
    m_updating = true;
    m_profile->clear();
    m_profile->addItems(names);
    if (!names.contains(m_settings.profile) && !m_settings.profile.isEmpty()) {
        // A conversation may name a profile since removed; it stays visible as it is.
        m_profile->addItem(m_settings.profile);
    }
    m_profile->setCurrentText(m_settings.profile);
    m_updating = false;
}

void ParametersBar::setModels(const QStringList &models)
{
    m_updating = true;
    m_model->clear();
    m_model->addItems(models);
    m_model->setCurrentText(m_settings.model);
    m_updating = false;
}

ConversationSettings ParametersBar::settings() const
{
    return m_settings;
}

void ParametersBar::setSettings(const ConversationSettings &settings)
{
    m_settings = settings;
    m_updating = true;
    if (m_profile->findText(settings.profile) < 0 && !settings.profile.isEmpty()) {
        m_profile->addItem(settings.profile);
    }
    m_profile->setCurrentText(settings.profile);
    m_model->setCurrentText(settings.model);
    m_updating = false;
    updateSummary();
}

QComboBox *ParametersBar::profileBox() const
{
    return m_profile;
}

QComboBox *ParametersBar::modelBox() const
{
    return m_model;
}

QToolButton *ParametersBar::parametersButton() const
{
    return m_parameters;
}

void ParametersBar::editParameters()
{
    ParametersDialog dialog(m_settings, this);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    m_settings = dialog.settings();
    updateSummary();
    Q_EMIT settingsEdited();
}

void ParametersBar::updateSummary()
{
    // The button says what is set, so a conversation's parameters are visible at a glance.
    QStringList parts;
    if (!m_settings.systemPrompt.trimmed().isEmpty()) {
        parts.append(tr("system prompt"));
    }
    if (m_settings.temperature) {
        parts.append(tr("temperature %1").arg(*m_settings.temperature));
    }
    if (m_settings.maxTokens) {
        parts.append(tr("max %1 tokens").arg(*m_settings.maxTokens));
    }
    if (!m_settings.reasoningEffort.isEmpty()) {
        parts.append(tr("effort %1").arg(m_settings.reasoningEffort));
    }
    m_parameters->setText(parts.isEmpty() ? tr("Parameters…")
                                          : tr("Parameters: %1").arg(parts.join(u", "_s)));
    m_parameters->setToolTip(tr("System prompt, temperature, max tokens, reasoning effort"));
}
