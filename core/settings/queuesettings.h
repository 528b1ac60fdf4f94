#pragma once

#include <QCoroTask>

#include <QString>

class AppSettings;
class SecretStore;

// Which queue the app uses and whether its own workers serve it, with the queue's password
// kept apart: the settings file holds the URL without a password, the SecretStore holds the
// password. A URL given with a password is split on the way in and joined on the way out.
struct QueueSettings
{
    QString url = QStringLiteral("memory"); // "memory", or a redis:// / rediss:// URL
    QString password;                       // the Redis password; empty for none
    bool runWorkers = true;                 // false: submit only, remote workers serve

    // The URL with the password in it, as openQueueBackend() takes it.
    QString connectionUrl() const;

    // True for the in-process queue, which no other process shares.
    bool isMemory() const;

    // Splits "redis://user:secret@host" into the URL without the password and the password.
    // Also understands the older "redis://secret@host" form, where the only credential is
    // the password. `url` is left as it is when it carries none.
    static QueueSettings fromUrl(const QString &url);
};

// The SecretStore account of the queue password.
QString queuePasswordAccount();

// Reads the stored queue settings and the password. `error` is set when the keychain
// refused; the settings come back without the password then.
struct LoadedQueueSettings
{
    QueueSettings settings;
    QString error;
};

QCoro::Task<LoadedQueueSettings> loadQueueSettings(AppSettings *settings, SecretStore *secrets);

// Stores `queue`: the URL (without a password) and the worker switch in the settings, the
// password in the SecretStore (removed when empty). Returns an error message, empty on
// success.
QCoro::Task<QString>
saveQueueSettings(AppSettings *settings, SecretStore *secrets, QueueSettings queue);
