#include "core/redis/redisurl.h"

#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

// A positive whole number of seconds (fractions allowed: "0.5"), or nullopt.
std::optional<std::chrono::milliseconds> parseSeconds(const QString &text)
{
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (!ok || seconds <= 0 || seconds > 365.0 * 24 * 3600) {
        return std::nullopt;
    }
    return std::chrono::milliseconds(qRound64(seconds * 1000));
}

bool parseFlag(const QString &text, bool *value)
{
    if (text == u"1"_s || text == u"true"_s || text == u"yes"_s) {
        *value = true;
        return true;
    }
    if (text == u"0"_s || text == u"false"_s || text == u"no"_s) {
        *value = false;
        return true;
    }
    return false;
}

// Applies one query option; returns an error message, or an empty string when it applied.
QString applyOption(RedisUrl &url, const QString &name, const QString &value)
{
    if (name == u"ca"_s) {
        url.caFile = value;
        return {};
    }
    if (name == u"insecure"_s) {
        return parseFlag(value, &url.insecure) ? QString()
                                               : u"insecure= takes 1 or 0, not \"%1\""_s.arg(value);
    }
    if (name == u"prefix"_s) {
        url.prefix = value.toUtf8();
        return {};
    }
    if (name == u"lease"_s || name == u"ttl"_s || name == u"timeout"_s) {
        const std::optional<std::chrono::milliseconds> span = parseSeconds(value);
        if (!span) {
            return u"%1= takes a positive number of seconds, not \"%2\""_s.arg(name, value);
        }
        if (name == u"lease"_s) {
            url.lease = *span;
        } else if (name == u"ttl"_s) {
            url.ttl = std::max(std::chrono::seconds(1),
                               std::chrono::duration_cast<std::chrono::seconds>(*span));
        } else {
            url.timeout = *span;
        }
        return {};
    }
    if (name == u"attempts"_s) {
        bool ok = false;
        const int attempts = value.toInt(&ok);
        if (!ok || attempts < 1 || attempts > 1000) {
            return u"attempts= takes a number from 1 to 1000, not \"%1\""_s.arg(value);
        }
        url.maxAttempts = attempts;
        return {};
    }
    return u"unknown option \"%1\" (known: ca, insecure, prefix, lease, ttl, attempts, "
           "timeout)"_s.arg(name);
}

} // namespace

Result<RedisUrl, QString> RedisUrl::parse(const QString &text)
{
    const QUrl qurl(text, QUrl::StrictMode);
    if (!qurl.isValid()) {
        return u"not a valid URL: %1"_s.arg(qurl.errorString());
    }

    RedisUrl url;
    const QString scheme = qurl.scheme().toLower();
    if (scheme != u"redis"_s && scheme != u"rediss"_s) {
        return u"a Redis URL starts with redis:// or rediss://, not \"%1:\""_s.arg(qurl.scheme());
    }
    url.tls = scheme == u"rediss"_s;

    // Host and port
    if (!qurl.host().isEmpty()) {
        url.host = qurl.host();
    }
    const int port = qurl.port(6379);
    if (port <= 0 || port > 65535) {
        return u"port %1 is out of range"_s.arg(port);
    }
    url.port = quint16(port);

    // Credentials: "user:password@", ":password@" or "password@" are all in use.
    url.user = qurl.userName(QUrl::FullyDecoded);
    url.password = qurl.password(QUrl::FullyDecoded);
    if (url.password.isEmpty() && !url.user.isEmpty() && !qurl.userInfo().contains(u':')) {
        url.password = url.user;
        url.user.clear();
    }

    // Database number
    QString path = qurl.path();
    if (path.startsWith(u'/')) {
        path.remove(0, 1);
    }
    if (!path.isEmpty()) {
        bool ok = false;
        url.db = path.toInt(&ok);
        if (!ok || url.db < 0) {
            return u"the path names a database number, not \"%1\""_s.arg(path);
        }
    }

    // Options
    const QUrlQuery query(qurl);
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[name, value] : items) {
        const QString problem = applyOption(url, name, value);
        if (!problem.isEmpty()) {
            return problem;
        }
    }
    if (!url.tls && (!url.caFile.isEmpty() || url.insecure)) {
        return u"ca= and insecure= need TLS: use rediss://"_s;
    }
    return url;
}

QString RedisUrl::describe() const
{
    QString text = tls ? u"rediss://"_s : u"redis://"_s;
    if (!user.isEmpty()) {
        text += user + u'@';
    }
    text += endpoint();
    if (db != 0) {
        text += u'/' + QString::number(db);
    }
    if (insecure) {
        text += u" (certificate checks off)"_s;
    }
    return text;
}

QString RedisUrl::endpoint() const
{
    const QString shownHost = host.contains(u':') ? u'[' + host + u']' : host;
    return shownHost + u':' + QString::number(port);
}
