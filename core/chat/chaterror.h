#pragma once

#include <QString>

#include <chrono>
#include <optional>

// The ways a chat request can fail, as the user and scripts see them. The names returned by
// errorKindName() are a contract: they appear in `chatq --json`, job records and the queue.
enum class ErrorKind {
    Auth,
    RateLimit,
    Quota,
    BadRequest,
    ContextLength,
    NotFound,
    Server,
    Network,
    Timeout,
    Protocol,
    Cancelled,
};

QString errorKindName(ErrorKind kind);
std::optional<ErrorKind> errorKindFromName(const QString &name);

// A failed chat request: what kind of failure, the provider's own words, the HTTP status
// (0 when there was no HTTP answer) and whether trying again may help.
struct ChatError
{
    ErrorKind kind = ErrorKind::Protocol;
    QString message;
    int httpStatus = 0;
    bool retryable = false;

    // How long the provider asked us to wait (Retry-After), when it said so.
    std::optional<std::chrono::milliseconds> retryAfter;

    static ChatError make(ErrorKind kind, QString message, int httpStatus = 0);

    // One line for a person: "rate_limit (HTTP 429): Rate limit reached…".
    QString toDisplayString() const;
};

// Whether a failure of this kind is worth retrying at all.
bool isRetryableKind(ErrorKind kind);
