#pragma once

#include "core/settings/queuesettings.h"

#include <QCoroTask>

#include <QWidget>

class AppSettings;
class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class SecretStore;

// Where the user picks the queue: the in-process one ("memory") or a Redis URL, its
// password (kept in the keychain, never in the settings file), and whether this app's own
// workers serve jobs or it only submits them. The app reads these at start, so a change
// takes effect after a restart, and the widget says so.
class QueueSettingsWidget : public QWidget
{
    Q_OBJECT

public:
    // `activeDescription` names the queue the running app uses, without its password.
    QueueSettingsWidget(AppSettings *settings,
                        SecretStore *secrets,
                        const QString &activeDescription,
                        QWidget *parent = nullptr);

    QLineEdit *urlEdit() const;
    QLineEdit *passwordEdit() const;
    QCheckBox *runWorkersBox() const;
    QPushButton *applyButton() const;
    QString messageText() const;

    // Checks and stores the fields; applied() reports the outcome, also returned.
    QCoro::Task<bool> apply();

Q_SIGNALS:
    void applied(bool ok, const QString &message);

private:
    QCoro::Task<void> load();
    void showMessage(const QString &text, bool isError);

    AppSettings *m_settings;
    SecretStore *m_secrets;
    QLineEdit *m_url;
    QLineEdit *m_password;
    QCheckBox *m_runWorkers;
    QPushButton *m_apply;
    QLabel *m_message;
};
