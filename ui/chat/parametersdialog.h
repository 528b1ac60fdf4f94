#pragma once

#include "ui/chat/conversationsettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QPlainTextEdit;
class QSpinBox;

// The system prompt and sampling parameters of one conversation. A parameter left unset is
// not sent, so the provider's default applies.
class ParametersDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ParametersDialog(const ConversationSettings &settings, QWidget *parent = nullptr);

    // The settings given, with what the dialog edits replaced.
    ConversationSettings settings() const;

    QPlainTextEdit *systemPromptEdit() const;
    QCheckBox *temperatureCheck() const;
    QDoubleSpinBox *temperatureBox() const;
    QSpinBox *maxTokensBox() const;
    QComboBox *effortBox() const;

private:
    ConversationSettings m_settings;
    QPlainTextEdit *m_systemPrompt;
    QCheckBox *m_setTemperature;
    QDoubleSpinBox *m_temperature;
    QSpinBox *m_maxTokens;
    QComboBox *m_effort;
};
