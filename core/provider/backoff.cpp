#include "core/provider/backoff.h"

#include <QLocale>
#include <QRandomGenerator>
#include <QString>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

std::chrono::milliseconds Backoff::delay(const RetryPolicy &policy,
                                         int failedAttempts,
                                         std::optional<std::chrono::milliseconds> retryAfter,
                                         QRandomGenerator *random)
{
    const milliseconds cap = std::max(policy.maxDelay, milliseconds(0));
    if (retryAfter) {
        return std::clamp(*retryAfter, milliseconds(0), cap);
    }

    // base * 2^(n-1) without overflow: stop doubling once past the cap.
    double ceiling = static_cast<double>(std::max<qint64>(policy.baseDelay.count(), 0));
    for (int i = 1; i < failedAttempts && ceiling < static_cast<double>(cap.count()); ++i) {
        ceiling *= 2;
    }
    const auto upper = static_cast<qint64>(std::min(ceiling, static_cast<double>(cap.count())));
    if (upper <= 0) {
        return milliseconds(0);
    }

    QRandomGenerator *generator = random ? random : QRandomGenerator::global();
    return milliseconds(static_cast<qint64>(generator->bounded(static_cast<double>(upper + 1))));
}

std::optional<std::chrono::milliseconds> Backoff::parseRetryAfter(QByteArrayView value,
                                                                  const QDateTime &now)
{
    const QString text = QString::fromLatin1(value).trimmed();
    if (text.isEmpty()) {
        return std::nullopt;
    }

    // Delta seconds; some servers send a fraction, which costs nothing to accept.
    bool isNumber = false;
    const double seconds = text.toDouble(&isNumber);
    if (isNumber) {
        if (!std::isfinite(seconds) || seconds < 0) {
            return std::nullopt;
        }
        const double capped = std::min(seconds, 365.0 * 24 * 3600);
        return milliseconds(static_cast<qint64>(std::llround(capped * 1000)));
    }

    // IMF-fixdate, the form RFC 9110 requires senders to use.
    QDateTime date = QLocale::c().toDateTime(text, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s);
    if (date.isValid()) {
        date.setTimeZone(QTimeZone::utc());
    } else {
        date = QDateTime::fromString(text, Qt::RFC2822Date);
    }
    if (!date.isValid()) {
        return std::nullopt;
    }
    return milliseconds(std::max<qint64>(now.msecsTo(date), 0));
}

std::optional<std::chrono::milliseconds> Backoff::parseRetryAfterMs(QByteArrayView value)
{
    bool ok = false;
    const double ms = QString::fromLatin1(value).trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(ms) || ms < 0) {
        return std::nullopt;
    }
    return milliseconds(static_cast<qint64>(std::llround(std::min(ms, 365.0 * 24 * 3600 * 1000))));
}
