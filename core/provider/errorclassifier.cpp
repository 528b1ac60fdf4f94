#include "core/provider/errorclassifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kMaxMessageChars = 500;

QString shortened(QString text)
{
    text = text.simplified();
    if (text.size() > kMaxMessageChars) {
        text.truncate(kMaxMessageChars);
        text += u'…';
    }
    return text;
}

// A JSON value that may be a string or a number, as text ("429", "invalid_api_key").
QString jsonText(const QJsonValue &value)
{
    if (value.isString()) {
        return value.toString();
    }
    if (value.isDouble()) {
        return QString::number(value.toInteger());
    }
    return {};
}

// The error object of a body, in the shapes providers use: {"error": {…}}, a top-level
// object with "message", or a one-element array around either (Gemini).
QJsonObject errorObjectOf(const QJsonDocument &document)
{
    QJsonObject root = document.object();
    if (document.isArray() && !document.array().isEmpty()) {
        root = document.array().first().toObject();
    }

    const QJsonValue error = root.value(u"error"_s);
    if (error.isObject()) {
        return error.toObject();
    }
    if (error.isString()) {
        return QJsonObject {{u"message"_s, error}};
    }
    if (root.contains(u"message"_s)) {
        return root;
    }

    // FastAPI-based servers (vLLM, TGI) answer {"detail": "…"} or a list of field errors.
    const QJsonValue detail = root.value(u"detail"_s);
    if (detail.isString()) {
        return QJsonObject {{u"message"_s, detail}};
    }
    if (detail.isArray()) {
        const QJsonObject first = detail.toArray().first().toObject();
        return QJsonObject {{u"message"_s, first.value(u"msg"_s)}};
    }
    return {};
}

// The provider's own words inside an error object. OpenRouter wraps an upstream failure as
// "Provider returned error" and puts the upstream text in metadata.raw.
QString messageOf(const QJsonObject &error)
{
    QString message = jsonText(error.value(u"message"_s));
    const QJsonValue raw = error.value(u"metadata"_s).toObject().value(u"raw"_s);
    QString rawText;
    if (raw.isString()) {
        rawText = raw.toString();
    } else if (raw.isObject()) {
        const QJsonObject inner = errorObjectOf(QJsonDocument(raw.toObject()));
        rawText = inner.isEmpty() ? QString::fromUtf8(QJsonDocument(raw.toObject())
                                                              .toJson(QJsonDocument::Compact))
                                  : jsonText(inner.value(u"message"_s));
    }

    if (!rawText.isEmpty() && rawText != message) {
        message = message.isEmpty() ? rawText : message + u": "_s + rawText;
    }
    return shortened(message);
}

QString htmlTitle(const QString &text)
{
    static const QRegularExpression title(u"<title[^>]*>(.*?)</title>"_s,
                                          QRegularExpression::CaseInsensitiveOption
                                                  | QRegularExpression::DotMatchesEverythingOption);
    return title.match(text).captured(1).simplified();
}

bool looksLikeHtml(QStringView text)
{
    const QStringView start = text.trimmed().left(64);
    return start.startsWith(u"<!doctype html"_s, Qt::CaseInsensitive)
            || start.startsWith(u"<html"_s, Qt::CaseInsensitive)
            || start.startsWith(u"<head"_s, Qt::CaseInsensitive);
}

bool mentionsAny(const QString &haystack, std::initializer_list<QStringView> needles)
{
    for (QStringView needle : needles) {
        if (haystack.contains(needle, Qt::CaseInsensitive)) {
            return true;
        }
    }
    return false;
}

// Everything in an error object that names its cause: code, type, status and message.
QString causeText(const QJsonObject &error, const QString &message)
{
    return jsonText(error.value(u"code"_s)) + u' ' + jsonText(error.value(u"type"_s)) + u' '
            + jsonText(error.value(u"status"_s)) + u' ' + message;
}

bool saysQuota(const QString &cause)
{
    return mentionsAny(cause, {u"insufficient_quota", u"billing", u"exceeded your current quota",
                               u"quota exceeded", u"payment required", u"credit"});
}

bool saysContextLength(const QString &cause)
{
    return mentionsAny(cause, {u"context_length", u"context length", u"maximum context",
                               u"context window", u"too many tokens", u"reduce the length",
                               u"prompt is too long", u"maximum prompt length"});
}

ErrorKind kindForStatus(int status, const QString &cause)
{
    if (status == 401 || status == 403) {
        return ErrorKind::Auth;
    }
    if (status == 402) {
        return ErrorKind::Quota;
    }
    if (status == 404) {
        return ErrorKind::NotFound;
    }
    if (status == 408) {
        return ErrorKind::Timeout;
    }
    if (status == 429) {
        return saysQuota(cause) ? ErrorKind::Quota : ErrorKind::RateLimit;
    }
    if (status >= 500) {
        return ErrorKind::Server;
    }
    return saysContextLength(cause) ? ErrorKind::ContextLength : ErrorKind::BadRequest;
}

QString defaultMessage(int status)
{
    return u"the provider answered HTTP "_s + QString::number(status);
}

} // namespace

ChatError ErrorClassifier::fromHttpStatus(int httpStatus,
                                          QByteArrayView body,
                                          std::optional<std::chrono::milliseconds> retryAfter)
{
    const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray());
    const QJsonObject error = errorObjectOf(document);
    QString message = error.isEmpty() ? providerMessage(body) : messageOf(error);
    const ErrorKind kind = kindForStatus(httpStatus, causeText(error, message));
    if (message.isEmpty()) {
        message = defaultMessage(httpStatus);
    }

    ChatError result = ChatError::make(kind, message, httpStatus);
    result.retryAfter = retryAfter;
    return result;
}

ChatError ErrorClassifier::fromErrorObject(const QJsonObject &error, int httpStatus)
{
    const QString message = messageOf(error);
    const QString cause = causeText(error, message);

    int status = httpStatus;
    const int code = error.value(u"code"_s).toInt();
    if (status == 0 && code >= 400 && code <= 599) {
        status = code;
    }

    // Without a status, the words decide; an in-band error usually means the upstream
    // model failed while generating, which a retry may fix.
    ErrorKind kind = ErrorKind::Server;
    if (status > 0) {
        kind = kindForStatus(status, cause);
    } else if (saysContextLength(cause)) {
        kind = ErrorKind::ContextLength;
    } else if (saysQuota(cause)) {
        kind = ErrorKind::Quota;
    } else if (mentionsAny(cause, {u"rate_limit", u"rate limit", u"too many requests"})) {
        kind = ErrorKind::RateLimit;
    }
    return ChatError::make(kind, message.isEmpty() ? u"the provider sent an error"_s : message,
                           httpStatus);
}

ChatError ErrorClassifier::fromNetworkError(QNetworkReply::NetworkError code, const QString &text)
{
    switch (code) {
    case QNetworkReply::TimeoutError:
        return ChatError::make(ErrorKind::Timeout, text);
    case QNetworkReply::OperationCanceledError:
        return ChatError::make(ErrorKind::Cancelled, text);
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
    case QNetworkReply::ProtocolFailure:
        return ChatError::make(ErrorKind::Protocol, text);
    default:
        // Refused, reset, unknown host, TLS handshake, proxy and temporary failures: the
        // network between us and the provider, which may well work a moment later.
        return ChatError::make(ErrorKind::Network, text);
    }
}

QString ErrorClassifier::providerMessage(QByteArrayView body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray());
    const QJsonObject error = errorObjectOf(document);
    if (!error.isEmpty()) {
        return messageOf(error);
    }

    const QString text = QString::fromUtf8(body);
    if (looksLikeHtml(text)) {
        const QString title = htmlTitle(text);
        return title.isEmpty() ? u"an HTML page"_s : u"an HTML page: "_s + shortened(title);
    }
    return shortened(text);
}
