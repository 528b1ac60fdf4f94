#include "core/provider/chatstream.h"

#include "core/provider/backoff.h"
#include "core/provider/chatstreamparser.h"
#include "core/provider/errorclassifier.h"
#include "core/provider/providerlog.h"
#include "core/provider/providerrequest.h"
#include "core/provider/requestbody.h"

#include <QCoroSignal>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <array>

using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

namespace {

// An error page is read only to quote the provider; more than this is not worth keeping.
constexpr qsizetype kMaxErrorBody = 64 * 1024;

// How much of a 2xx body may be looked at before deciding whether it is an event stream.
constexpr qsizetype kMaxSniff = 1024;

QString secondsText(milliseconds duration)
{
    return QString::number(static_cast<double>(duration.count()) / 1000.0, 'g', 3) + u" s"_s;
}

bool isEventStreamType(const QByteArray &contentType)
{
    return contentType.trimmed().toLower().startsWith("text/event-stream");
}

enum class Sniff {
    EventStream,
    NotEventStream,
    Undecided,
};

// Whether the first bytes of a body look like Server-Sent Events: after blank lines and a
// byte order mark, a line starting with a field name and a colon, or a comment.
Sniff sniffEventStream(QByteArrayView bytes)
{
    if (bytes.startsWith("\xEF\xBB\xBF")) {
        bytes = bytes.sliced(3);
    }
    while (!bytes.isEmpty() && (bytes.front() == '\r' || bytes.front() == '\n'
                                || bytes.front() == ' ' || bytes.front() == '\t')) {
        bytes = bytes.sliced(1);
    }
    if (bytes.isEmpty()) {
        return Sniff::Undecided;
    }

    static constexpr std::array<QByteArrayView, 5> kStarts {"data:", "event:", ":", "id:",
                                                            "retry:"};
    for (QByteArrayView start : kStarts) {
        if (bytes.startsWith(start)) {
            return Sniff::EventStream;
        }
        if (start.startsWith(bytes)) {
            return Sniff::Undecided;
        }
    }
    return Sniff::NotEventStream;
}

ChatError cancelledError()
{
    return ChatError::make(ErrorKind::Cancelled, ChatStream::tr("the request was cancelled"));
}

} // namespace

void ChatStream::ReplyDeleter::operator()(QNetworkReply *reply) const
{
    reply->disconnect();
    if (!reply->isFinished()) {
        reply->abort();
    }
    reply->deleteLater();
}

ChatStream::ChatStream(QNetworkAccessManager *network,
                       ProviderProfile profile,
                       ChatRequest request,
                       QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_profile(std::move(profile))
    , m_request(std::move(request))
    , m_wake(new QTimer(this))
    , m_watchdog(new QTimer(this))
    , m_totalTimer(new QTimer(this))
{
    Q_ASSERT(network);
    Q_ASSERT(network->thread() == thread());

    m_requestBody = RequestBody::toJson(m_request, m_profile);

    // A coarse timer may fire up to 5 % early; a provider's Retry-After is a minimum.
    m_wake->setSingleShot(true);
    m_wake->setTimerType(Qt::PreciseTimer);
    m_watchdog->setSingleShot(true);
    m_totalTimer->setSingleShot(true);
    connect(m_watchdog, &QTimer::timeout, this, &ChatStream::onWatchdogTimeout);
    connect(m_totalTimer, &QTimer::timeout, this, [this] {
        fail(ChatError::make(ErrorKind::Timeout,
                             tr("the response took longer than the limit of %1")
                                     .arg(secondsText(m_profile.timeouts.total))));
    });
}

ChatStream::~ChatStream() = default;

QCoro::Task<StreamOutcome> ChatStream::run()
{
    Q_ASSERT(!m_running);
    m_running = true;
    StreamOutcome outcome;
    const int maxAttempts = std::max(m_profile.retry.maxAttempts, 1);
    QElapsedTimer clock;
    clock.start();

    for (int attempt = 1;; ++attempt) {
        if (m_cancelled) {
            outcome.error = cancelledError();
            break;
        }
        if (!m_network) {
            outcome.error = ChatError::make(ErrorKind::Network, tr("the network is shut down"));
            break;
        }

        outcome.attempts = attempt;
        startAttempt(attempt);
        if (!m_attemptEnded) {
            co_await qCoro(m_wake, &QTimer::timeout);
        }
        std::optional<ChatError> error = attemptError();
        if (error && m_cancelled) {
            error = cancelledError();
        }
        m_reply.reset();
        outcome.reply = m_partial;
        outcome.error = error;

        // Retry only what may heal, and only while the user has seen nothing: a retried
        // stream starts its answer over.
        if (!error || !error->retryable || m_emittedDelta || m_cancelled
            || attempt >= maxAttempts) {
            break;
        }

        const milliseconds delay = Backoff::delay(m_profile.retry, attempt, error->retryAfter);
        qCWarning(lcProvider).noquote()
                << "attempt" << attempt << "failed with" << error->toDisplayString()
                << "; retrying in" << delay.count() << "ms";
        Q_EMIT retrying(attempt + 1, *error, delay);
        if (m_cancelled) {
            outcome.error = cancelledError();
            break;
        }
        m_wake->start(delay);
        co_await qCoro(m_wake, &QTimer::timeout);
    }

    qCInfo(lcProvider).noquote()
            << "stream from" << m_profile.baseUrl.host() << "model" << m_request.model << "ended:"
            << (outcome.error ? outcome.error->toDisplayString() : u"ok"_s) << "after"
            << outcome.attempts << "attempt(s)," << clock.elapsed() << "ms,"
            << outcome.reply.content.size() << "chars";
    m_running = false;
    co_return outcome;
}

void ChatStream::cancel()
{
    if (m_cancelled) {
        return;
    }
    m_cancelled = true;

    // Abort a running request; its finished() wakes run(). Between attempts, wake it now.
    if (m_reply && !m_attemptEnded) {
        fail(cancelledError());
    } else if (m_running) {
        m_wake->start(0);
    }
}

void ChatStream::startAttempt(int attempt)
{
    m_parser = std::make_unique<ChatStreamParser>();
    m_partial = ChatReply {};
    m_failure.reset();
    m_mode = BodyMode::None;
    m_held.clear();
    m_httpStatus = 0;
    m_bodyBytes = 0;
    m_headRead = false;
    m_attemptEnded = false;

    const QNetworkRequest request = ProviderRequest::make(m_profile, u"chat/completions", true);
    qCInfo(lcProvider).noquote() << "POST" << request.url().host() << request.url().path()
                                 << "model" << m_request.model << "attempt" << attempt;

    // Owned from the moment it exists: the deleter aborts and deletes it later.
    m_reply.reset(m_network->post(request, m_requestBody));
    QNetworkReply *reply = m_reply.get();
    connect(reply, &QNetworkReply::requestSent, this, &ChatStream::onRequestSent);
    connect(reply, &QNetworkReply::metaDataChanged, this, &ChatStream::readResponseHead);
    connect(reply, &QNetworkReply::readyRead, this, &ChatStream::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &ChatStream::onFinished);

    armWatchdog(Phase::Connecting);
    if (m_profile.timeouts.total > milliseconds(0)) {
        m_totalTimer->start(m_profile.timeouts.total);
    }
}

void ChatStream::onRequestSent()
{
    if (m_phase == Phase::Connecting) {
        armWatchdog(Phase::WaitingForFirstByte);
    }
}

void ChatStream::readResponseHead()
{
    if (m_headRead || !m_reply) {
        return;
    }
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
        return;
    }
    m_headRead = true;
    m_httpStatus = status.toInt();
    if (m_phase == Phase::Connecting) {
        armWatchdog(Phase::WaitingForFirstByte);
    }

    const QByteArray contentType = m_reply->rawHeader("Content-Type");
    qCDebug(lcProvider) << "HTTP" << m_httpStatus << contentType;
    if (m_httpStatus < 200 || m_httpStatus > 299) {
        m_mode = BodyMode::ErrorBody;
    } else if (isEventStreamType(contentType)) {
        m_mode = BodyMode::EventStream;
    } else {
        m_mode = BodyMode::Sniffing;
    }
}

void ChatStream::onReadyRead()
{
    if (!m_reply || m_attemptEnded) {
        return;
    }
    consume(m_reply->readAll());
}

void ChatStream::onFinished()
{
    if (m_attemptEnded) {
        return;
    }
    if (!m_failure && m_reply) {
        consume(m_reply->readAll());
    }

    m_attemptEnded = true;
    m_watchdog->stop();
    m_totalTimer->stop();

    // Resume run() from the event loop, never from inside a signal of the reply.
    m_wake->start(0);
}

void ChatStream::consume(const QByteArray &bytes)
{
    if (bytes.isEmpty() || m_failure) {
        return;
    }
    readResponseHead();
    armWatchdog(Phase::Streaming);
    m_bodyBytes += bytes.size();

    switch (m_mode) {
    case BodyMode::None:
        // Body bytes before any status would not be HTTP; treat them as the stream.
        m_mode = BodyMode::Sniffing;
        sniff(bytes);
        break;
    case BodyMode::ErrorBody:
        m_held.append(bytes.left(std::max<qsizetype>(kMaxErrorBody - m_held.size(), 0)));
        break;
    case BodyMode::Sniffing:
        sniff(bytes);
        break;
    case BodyMode::EventStream:
        feedParser(bytes);
        break;
    }
}

void ChatStream::sniff(const QByteArray &bytes)
{
    m_held.append(bytes);
    Sniff verdict = sniffEventStream(m_held);
    if (verdict == Sniff::Undecided && m_held.size() > kMaxSniff) {
        verdict = Sniff::NotEventStream;
    }

    if (verdict == Sniff::EventStream) {
        m_mode = BodyMode::EventStream;
        const QByteArray held = std::exchange(m_held, {});
        feedParser(held);
    } else if (verdict == Sniff::NotEventStream) {
        const QByteArray contentType = m_reply->rawHeader("Content-Type");
        fail(ChatError::make(ErrorKind::Protocol,
                             tr("expected an event stream, but the server sent %1 (%2)")
                                     .arg(ErrorClassifier::providerMessage(m_held),
                                          contentType.isEmpty()
                                                  ? tr("no content type")
                                                  : QString::fromLatin1(contentType)),
                             m_httpStatus));
    }
}

void ChatStream::feedParser(QByteArrayView bytes)
{
    // The parser returns either the deltas of a read or its error. Fed a line at a time,
    // the deltas before an in-band error in the same read still reach the answer.
    while (!bytes.isEmpty() && !m_failure && !m_attemptEnded) {
        const qsizetype lineEnd = bytes.indexOf('\n');
        const qsizetype length = lineEnd < 0 ? bytes.size() : lineEnd + 1;
        feedLine(bytes.first(length));
        bytes = bytes.sliced(length);
    }
}

void ChatStream::feedLine(QByteArrayView bytes)
{
    auto parsed = m_parser->feed(bytes);
    if (!parsed) {
        ChatError error = parsed.error();
        fail(std::move(error));
        return;
    }

    for (const ChatDelta &delta : parsed.value()) {
        if (delta.isEmpty()) {
            continue;
        }
        m_partial.apply(delta);
        m_emittedDelta = true;
        Q_EMIT deltaReceived(delta);

        // A receiver may have cancelled; nothing after that belongs to the answer.
        if (m_failure || m_attemptEnded) {
            return;
        }
    }
}

void ChatStream::fail(ChatError error)
{
    if (m_failure || m_attemptEnded) {
        return;
    }
    m_failure = std::move(error);
    m_watchdog->stop();
    m_totalTimer->stop();
    if (m_reply) {
        // Emits finished() at once, which wakes run().
        m_reply->abort();
    }
}

void ChatStream::armWatchdog(Phase phase)
{
    m_phase = phase;
    milliseconds limit {0};
    switch (phase) {
    case Phase::Connecting:
        limit = m_profile.timeouts.connect;
        break;
    case Phase::WaitingForFirstByte:
        limit = m_profile.timeouts.firstByte;
        break;
    case Phase::Streaming:
        limit = m_profile.timeouts.idle;
        break;
    }

    if (limit > milliseconds(0)) {
        m_watchdog->start(limit);
    } else {
        m_watchdog->stop();
    }
}

void ChatStream::onWatchdogTimeout()
{
    QString message;
    switch (m_phase) {
    case Phase::Connecting:
        message = tr("could not reach %1 within %2")
                          .arg(m_profile.baseUrl.host(), secondsText(m_profile.timeouts.connect));
        break;
    case Phase::WaitingForFirstByte:
        message = tr("the provider sent nothing for %1 after the request")
                          .arg(secondsText(m_profile.timeouts.firstByte));
        break;
    case Phase::Streaming:
        message = tr("the stream stalled: nothing arrived for %1")
                          .arg(secondsText(m_profile.timeouts.idle));
        break;
    }
    fail(ChatError::make(ErrorKind::Timeout, message, m_httpStatus));
}

std::optional<ChatError> ChatStream::attemptError()
{
    if (m_failure) {
        return m_failure;
    }
    if (!m_reply) {
        return cancelledError();
    }
    readResponseHead();

    // No HTTP answer at all: refused, reset, unknown host, TLS.
    if (!m_headRead) {
        return ErrorClassifier::fromNetworkError(m_reply->error(), m_reply->errorString());
    }

    if (m_mode == BodyMode::ErrorBody) {
        return ErrorClassifier::fromHttpStatus(m_httpStatus, m_held, retryAfterHeader());
    }

    // The answer started and the connection broke before its end.
    if (m_reply->error() != QNetworkReply::NoError) {
        ChatError error =
                ErrorClassifier::fromNetworkError(m_reply->error(), m_reply->errorString());
        error.message = tr("the connection was lost during the answer: %1").arg(error.message);
        error.httpStatus = m_httpStatus;
        return error;
    }

    // Qt does not always report a connection closed before the declared length as an
    // error; count the bytes. (A chunked body cut between two chunks can look complete to
    // Qt; such a stream ends as "ended early" below.)
    const QVariant declaredLength = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (declaredLength.isValid() && m_bodyBytes < declaredLength.toLongLong()) {
        return ChatError::make(ErrorKind::Network,
                               tr("the connection was lost during the answer: %1 of %2 bytes "
                                  "arrived")
                                       .arg(m_bodyBytes)
                                       .arg(declaredLength.toLongLong()),
                               m_httpStatus);
    }

    if (m_mode == BodyMode::None || (m_mode == BodyMode::Sniffing && m_held.trimmed().isEmpty())) {
        return ChatError::make(ErrorKind::Protocol, tr("the provider sent an empty answer"),
                               m_httpStatus);
    }
    if (m_mode == BodyMode::Sniffing) {
        return ChatError::make(ErrorKind::Protocol,
                               tr("expected an event stream, but the server sent %1")
                                       .arg(ErrorClassifier::providerMessage(m_held)),
                               m_httpStatus);
    }

    if (m_parser->finish() == ChatStreamParser::Ending::Truncated) {
        return ChatError::make(ErrorKind::Protocol,
                               tr("the stream ended early, before the answer was complete"),
                               m_httpStatus);
    }
    return std::nullopt;
}

std::optional<std::chrono::milliseconds> ChatStream::retryAfterHeader() const
{
    if (!m_reply) {
        return std::nullopt;
    }
    if (const auto ms = Backoff::parseRetryAfterMs(m_reply->rawHeader("retry-after-ms"))) {
        return ms;
    }
    return Backoff::parseRetryAfter(m_reply->rawHeader("Retry-After"),
                                    QDateTime::currentDateTimeUtc());
}
