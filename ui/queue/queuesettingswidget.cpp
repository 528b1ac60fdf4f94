#include "ui/queue/queuesettingswidget.h"

#include "core/redis/redisurl.h"
#include "core/settings/appsettings.h"
#include "core/settings/secretstore.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

QueueSettingsWidget::QueueSettingsWidget(AppSettings *settings,
                                         SecretStore *secrets,
                                         const QString &activeDescription,
                                         QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_secrets(secrets)
    , m_url(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_runWorkers(new QCheckBox(tr("Run jobs with this app's own workers"), this))
    , m_apply(new QPushButton(tr("Apply"), this))
    , m_message(new QLabel(this))
{
    m_url->setPlaceholderText(u"memory"_s);
    m_url->setToolTip(tr("\"memory\" for the queue inside this app, or a Redis URL such as "
                         "redis://host:6379/0 or rediss://user@host:6380/0"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("Redis password, if the server needs one"));
    m_runWorkers->setToolTip(tr("Off: this app only submits jobs, and workers elsewhere "
                                "(chatq worker) run them"));

    auto *active = new QLabel(tr("In use now: %1").arg(activeDescription), this);
    active->setTextFormat(Qt::PlainText);
    active->setWordWrap(true);
    auto *note = new QLabel(tr("The password is kept in the system keychain, not in the "
                               "settings file. Changes take effect when ChatQueue is "
                               "restarted."),
                            this);
    note->setTextFormat(Qt::PlainText);
    note->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Queue URL"), m_url);
    form->addRow(tr("Password"), m_password);
    form->addRow(QString(), m_runWorkers);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(active);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_apply, 0, Qt::AlignRight);
    layout->addWidget(m_message);
    layout->addStretch(1);

    connect(m_apply, &QPushButton::clicked, this, [this] { apply(); });
    load();
}

QLineEdit *QueueSettingsWidget::urlEdit() const
{
    return m_url;
}

QLineEdit *QueueSettingsWidget::passwordEdit() const
{
    return m_password;
}

QCheckBox *QueueSettingsWidget::runWorkersBox() const
{
    return m_runWorkers;
}

QPushButton *QueueSettingsWidget::applyButton() const
{
    return m_apply;
}

QString QueueSettingsWidget::messageText() const
{
    return m_message->text();
}

QCoro::Task<void> QueueSettingsWidget::load()
{
    QPointer<QueueSettingsWidget> self(this);
    m_apply->setEnabled(false);
    const LoadedQueueSettings loaded = co_await loadQueueSettings(m_settings, m_secrets);
    if (!self) {
        co_return;
    }
    m_url->setText(loaded.settings.url);
    m_password->setText(loaded.settings.password);
    m_runWorkers->setChecked(loaded.settings.runWorkers);
    m_apply->setEnabled(true);
    if (!loaded.error.isEmpty()) {
        showMessage(tr("The queue password could not be read: %1").arg(loaded.error), true);
    }
}

QCoro::Task<bool> QueueSettingsWidget::apply()
{
    QPointer<QueueSettingsWidget> self(this);
    QueueSettings queue;
    queue.url = m_url->text().trimmed();
    queue.password = m_password->text();
    queue.runWorkers = m_runWorkers->isChecked();
    if (queue.url.isEmpty()) {
        queue.url = u"memory"_s;
    }

    // The URL is checked as the app will read it at the next start.
    if (!queue.isMemory()) {
        const auto parsed = RedisUrl::parse(QueueSettings::fromUrl(queue.url).url);
        if (!parsed) {
            const QString message = tr("The queue URL is not valid: %1").arg(parsed.error());
            showMessage(message, true);
            Q_EMIT applied(false, message);
            co_return false;
        }
    }

    m_apply->setEnabled(false);
    const QString error = co_await saveQueueSettings(m_settings, m_secrets, queue);
    if (!self) {
        co_return false;
    }
    m_apply->setEnabled(true);
    if (!error.isEmpty()) {
        const QString message = tr("The queue settings could not be stored: %1").arg(error);
        showMessage(message, true);
        Q_EMIT applied(false, message);
        co_return false;
    }

    // A password typed into the URL has moved to its own field.
    const QueueSettings stored = QueueSettings::fromUrl(queue.url);
    m_url->setText(stored.url);
    if (!stored.password.isEmpty()) {
        m_password->setText(stored.password);
    }
    // Without a keychain the password lasts only this session, yet the queue is opened at
    // the next start: the user has to know that it will be missing then.
    if (m_secrets->storage() == SecretStore::Storage::SessionOnly && !m_password->text().isEmpty()
        && !stored.isMemory()) {
        const QString message =
                tr("Saved, but no keychain is available: the password is kept only until "
                   "ChatQueue quits, so after the restart the queue is opened without it.");
        showMessage(message, true);
        Q_EMIT applied(true, message);
        co_return true;
    }
    const QString message = tr("Saved. Restart ChatQueue to use this queue.");
    showMessage(message, false);
    Q_EMIT applied(true, message);
    co_return true;
}

void QueueSettingsWidget::showMessage(const QString &text, bool isError)
{
    m_message->setText(text);
    QPalette palette = m_message->palette();
    palette.setColor(QPalette::WindowText,
                     isError ? QColor(0xc0, 0x39, 0x2b)
                             : this->palette().color(QPalette::WindowText));
    m_message->setPalette(palette);
}
