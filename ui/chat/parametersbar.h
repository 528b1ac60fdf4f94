#pragma once

#include "ui/chat/conversationsettings.h"

#include <QWidget>

class QComboBox;
class QToolButton;

// Above the conversation: which profile and model it is sent with, and a button for its
// system prompt and sampling parameters. Edits apply to the conversation shown.
class ParametersBar : public QWidget
{
    Q_OBJECT

public:
    explicit ParametersBar(QWidget *parent = nullptr);

    // The profiles to choose from, and the models offered for the chosen one (the model
    // box is editable: any name the provider knows may be typed).
    void setProfiles(const QStringList &names);
    void setModels(const QStringList &models);

    ConversationSettings settings() const;
    void setSettings(const ConversationSettings &settings);

    QComboBox *profileBox() const;
    QComboBox *modelBox() const;
    QToolButton *parametersButton() const;

    // Opens the dialog for the system prompt and parameters.
    void editParameters();

Q_SIGNALS:
    // The user changed something; settings() holds it.
    void settingsEdited();

    // The user chose another profile; the window offers its models.
    void profileChosen(const QString &profile);

private:
    void updateSummary();

    QComboBox *m_profile;
    QComboBox *m_model;
    QToolButton *m_parameters;
    ConversationSettings m_settings;
    bool m_updating = false;
};
