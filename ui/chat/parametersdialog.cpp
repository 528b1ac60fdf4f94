#include "ui/chat/parametersdialog.h"

#include "ui/widgets/longtext.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

ParametersDialog::ParametersDialog(const ConversationSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_systemPrompt(new QPlainTextEdit(this))
    , m_setTemperature(new QCheckBox(tr("Set"), this))
    , m_temperature(new QDoubleSpinBox(this))
    , m_maxTokens(new QSpinBox(this))
    , m_effort(new QComboBox(this))
{
    setWindowTitle(tr("Conversation parameters"));

    m_systemPrompt->setPlaceholderText(tr("For example: 你是人工智能助手"));
    setPlainTextSafely(m_systemPrompt, settings.systemPrompt);
    m_systemPrompt->setTabChangesFocus(true);

    m_temperature->setRange(0.0, 2.0);
    m_temperature->setSingleStep(0.1);
    m_temperature->setDecimals(2);
    m_temperature->setValue(settings.temperature.value_or(1.0));
    m_setTemperature->setChecked(settings.temperature.has_value());
    m_temperature->setEnabled(settings.temperature.has_value());
    connect(m_setTemperature, &QCheckBox::toggled, m_temperature, &QWidget::setEnabled);
    auto *temperatureRow = new QHBoxLayout;
    temperatureRow->addWidget(m_setTemperature);
    temperatureRow->addWidget(m_temperature, 1);

    m_maxTokens->setRange(0, 1'000'000);
    m_maxTokens->setSpecialValueText(tr("Provider default"));
    m_maxTokens->setValue(settings.maxTokens.value_or(0));

    m_effort->addItem(tr("Provider default"), QString());
    m_effort->addItem(tr("Low"), u"low"_s);
    m_effort->addItem(tr("Medium"), u"medium"_s);
    m_effort->addItem(tr("High"), u"high"_s);
    m_effort->setCurrentIndex(std::max(0, m_effort->findData(settings.reasoningEffort)));

    auto *form = new QFormLayout;
    form->addRow(tr("System prompt"), m_systemPrompt);
    form->addRow(tr("Temperature"), temperatureRow);
    form->addRow(tr("Max tokens"), m_maxTokens);
    form->addRow(tr("Reasoning effort"), m_effort);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(520, 360);
}

ConversationSettings ParametersDialog::settings() const
{
    ConversationSettings settings = m_settings;
    settings.systemPrompt = m_systemPrompt->toPlainText();
    settings.temperature =
            m_setTemperature->isChecked() ? std::optional(m_temperature->value()) : std::nullopt;
    settings.maxTokens =
            m_maxTokens->value() > 0 ? std::optional(m_maxTokens->value()) : std::nullopt;
    settings.reasoningEffort = m_effort->currentData().toString();
    return settings;
}

QPlainTextEdit *ParametersDialog::systemPromptEdit() const
{
    return m_systemPrompt;
}

QCheckBox *ParametersDialog::temperatureCheck() const
{
    return m_setTemperature;
}

QDoubleSpinBox *ParametersDialog::temperatureBox() const
{
    return m_temperature;
}

QSpinBox *ParametersDialog::maxTokensBox() const
{
    return m_maxTokens;
}

QComboBox *ParametersDialog::effortBox() const
{
    return m_effort;
}
