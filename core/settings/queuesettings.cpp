#include "core/settings/queuesettings.h"

#include "core/settings/appsettings.h"
#include "core/settings/secretstore.h"

#include <QUrl>

using namespace Qt::StringLiterals;

QString QueueSettings::connectionUrl() const
{
    if (password.isEmpty() || isMemory()) {
        return url;
    }

    // Redis takes ":password@" for the default user and "user:password@" for an ACL user.
    QUrl joined(url, QUrl::StrictMode);
    if (!joined.isValid()) {
        return url;
    }
    joined.setPassword(password, QUrl::DecodedMode);
    return joined.toString(QUrl::FullyEncoded);
}

bool QueueSettings::isMemory() const
{
    return url.trimmed().isEmpty() || url.trimmed() == u"memory"_s;
}

QueueSettings QueueSettings::fromUrl(const QString &url)
{
    QueueSettings split;
    split.url = url.trimmed();
    if (split.isMemory()) {
        split.url = u"memory"_s;
        return split;
    }

    QUrl parsed(split.url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.userInfo().isEmpty()) {
        return split;
    }

    // "redis://secret@host" names no user: the lone credential is the password.
    if (!parsed.userInfo().contains(u':')) {
        split.password = parsed.userName(QUrl::FullyDecoded);
        parsed.setUserInfo(QString());
    } else {
        split.password = parsed.password(QUrl::FullyDecoded);
        parsed.setPassword(QString());
    }
    split.url = parsed.toString(QUrl::FullyEncoded);
    return split;
}

QString queuePasswordAccount()
{
    return u"queue/password"_s;
}

QCoro::Task<LoadedQueueSettings> loadQueueSettings(AppSettings *settings, SecretStore *secrets)
{
    LoadedQueueSettings loaded;
    loaded.settings.url = settings->queueUrl();
    loaded.settings.runWorkers = settings->runWorkers();
    if (loaded.settings.isMemory()) {
        co_return loaded;
    }

    const auto password = co_await secrets->read(queuePasswordAccount());
    if (password) {
        loaded.settings.password = *password;
    } else {
        loaded.error = password.error().message;
    }
    co_return loaded;
}

QCoro::Task<QString>
saveQueueSettings(AppSettings *settings, SecretStore *secrets, QueueSettings queue)
{
    // A password typed into the URL field moves to the keychain like one typed apart.
    QueueSettings split = QueueSettings::fromUrl(queue.url);
    if (split.password.isEmpty() && !split.isMemory()) {
        split.password = queue.password;
    }

    if (split.password.isEmpty()) {
        const auto removed = co_await secrets->remove(queuePasswordAccount());
        if (!removed) {
            co_return removed.error().message;
        }
    } else {
        const auto written = co_await secrets->write(queuePasswordAccount(), split.password);
        if (!written) {
            co_return written.error().message;
        }
    }

    settings->setQueueUrl(split.url);
    settings->setRunWorkers(queue.runWorkers);
    settings->sync();
    co_return QString();
}
