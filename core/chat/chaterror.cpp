#include "core/chat/chaterror.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

constexpr std::array kKindNames {
    std::pair {ErrorKind::Auth, "auth"},
    std::pair {ErrorKind::RateLimit, "rate_limit"},
    std::pair {ErrorKind::Quota, "quota"},
    std::pair {ErrorKind::BadRequest, "bad_request"},
    std::pair {ErrorKind::ContextLength, "context_length"},
    std::pair {ErrorKind::NotFound, "not_found"},
    std::pair {ErrorKind::Server, "server"},
    std::pair {ErrorKind::Network, "network"},
    std::pair {ErrorKind::Timeout, "timeout"},
    std::pair {ErrorKind::Protocol, "protocol"},
    std::pair {ErrorKind::Cancelled, "cancelled"},
};

} // namespace

QString errorKindName(ErrorKind kind)
{
    for (const auto &[k, name] : kKindNames) {
        if (k == kind) {
            return QString::fromLatin1(name);
        }
    }
    return u"protocol"_s;
}

std::optional<ErrorKind> errorKindFromName(const QString &name)
{
    for (const auto &[k, kindName] : kKindNames) {
        if (name == QLatin1StringView(kindName)) {
            return k;
        }
    }
    return std::nullopt;
}

bool isRetryableKind(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::RateLimit:
    case ErrorKind::Server:
    case ErrorKind::Network:
    case ErrorKind::Timeout:
        return true;
    default:
        return false;
    }
}

ChatError ChatError::make(ErrorKind kind, QString message, int httpStatus)
{
    ChatError error;
    error.kind = kind;
    error.message = std::move(message);
    error.httpStatus = httpStatus;
    error.retryable = isRetryableKind(kind);
    return error;
}

QString ChatError::toDisplayString() const
{
    QString text = errorKindName(kind);
    if (httpStatus > 0) {
        text += u" (HTTP "_s + QString::number(httpStatus) + u')';
    }
    if (!message.isEmpty()) {
        text += u": "_s + message;
    }
    return text;
}
