#pragma once

#include "core/provider/providerprofile.h"

#include <QByteArrayView>
#include <QDateTime>

#include <chrono>
#include <optional>

class QRandomGenerator;

// How long to wait before trying a failed request again.
class Backoff
{
public:
    // The wait before the attempt after `failedAttempts` failures (1 for the first retry).
    // Without a server hint: exponential backoff with full jitter, a uniform random delay in
    // [0, min(maxDelay, baseDelay * 2^(failedAttempts - 1))]. With one (Retry-After): that
    // delay exactly, capped by maxDelay.
    static std::chrono::milliseconds delay(const RetryPolicy &policy,
                                           int failedAttempts,
                                           std::optional<std::chrono::milliseconds> retryAfter,
                                           QRandomGenerator *random = nullptr);

    // Reads a Retry-After header: delta seconds ("120", also fractional "1.5") or an
    // HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"), relative to `now`. A date in the past
    // means zero. Returns nothing when the value is empty or unreadable.
    static std::optional<std::chrono::milliseconds> parseRetryAfter(QByteArrayView value,
                                                                    const QDateTime &now);

    // Reads the `retry-after-ms` header some providers (OpenAI) send beside Retry-After.
    static std::optional<std::chrono::milliseconds> parseRetryAfterMs(QByteArrayView value);
};
