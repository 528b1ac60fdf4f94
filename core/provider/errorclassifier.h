#pragma once

#include "core/chat/chaterror.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QNetworkReply>
#include <QString>

#include <chrono>
#include <optional>

// Turns what a provider answered (an HTTP status and its body) or what the network did (a
// QNetworkReply error) into a ChatError with the right kind, the provider's own words and
// whether a retry may help.
//
// Kinds by HTTP status: 401/403 auth; 402 quota; 404 not_found; 408 timeout; 429 rate_limit,
// or quota when the body speaks of insufficient quota or billing; 400, 413 and 422
// bad_request, or context_length when the body says the context or token limit was
// exceeded; other 4xx bad_request; 5xx server.
class ErrorClassifier
{
public:
    // A non-2xx HTTP answer. `retryAfter` is what the Retry-After header asked for, if any.
    static ChatError fromHttpStatus(int httpStatus,
                                    QByteArrayView body,
                                    std::optional<std::chrono::milliseconds> retryAfter = {});

    // An error object carried by a body or by an event inside a 200 stream, e.g.
    // {"message": …, "type": …, "code": …}. `httpStatus` may be 0 (in-band error); then a
    // numeric `code` in the object stands in for it when it looks like an HTTP status.
    static ChatError fromErrorObject(const QJsonObject &error, int httpStatus = 0);

    // A transport failure with no HTTP answer: refused, reset, unknown host, TLS, timeout.
    static ChatError fromNetworkError(QNetworkReply::NetworkError code, const QString &text);

    // The provider's own message from an error body: the JSON shapes of OpenAI, OpenRouter
    // (metadata.raw), Groq, Ollama ({"error": "…"}), FastAPI ({"detail": …}) and others; the
    // <title> of an HTML page; or the trimmed text itself, shortened to a few hundred chars.
    static QString providerMessage(QByteArrayView body);
};
