#pragma once

#include "core/chat/chaterror.h"
#include "core/chat/chatreply.h"
#include "core/chat/chatrequest.h"
#include "core/provider/providerprofile.h"

#include <QByteArray>
#include <QCoroTask>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <memory>
#include <optional>

class ChatStreamParser;
class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

// How a streamed request ended: the reply assembled so far (kept even on failure) and the
// error, if any. `attempts` counts HTTP requests made, retries included.
struct StreamOutcome
{
    ChatReply reply;
    std::optional<ChatError> error;
    int attempts = 0;
};

// One chat request streamed from an OpenAI-compatible endpoint, with timeouts, retries
// before the first token, and cancellation. Lives in the thread of its network manager.
//
// Each attempt is one POST {baseUrl}/chat/completions. Its timeouts (profile.timeouts):
// `connect` until the request has been sent, `firstByte` from then until the first byte of
// the body, `idle` between reads after that, and `total` for the whole attempt; zero turns
// one off. Failures of a retryable kind (rate_limit, server, network, timeout) are retried
// up to profile.retry.maxAttempts requests in all, but only while no delta was emitted.
// A 200 answer that is not an event stream is a `protocol` error; the `Content-Type` is not
// trusted alone, since some servers label their streams application/json.
//
// Destroy a ChatStream only when run() is not suspended (it has returned, or never ran):
// call cancel() and wait for run() first. The network manager must outlive it.
class ChatStream : public QObject
{
    Q_OBJECT

public:
    ChatStream(QNetworkAccessManager *network,
               ProviderProfile profile,
               ChatRequest request,
               QObject *parent = nullptr);
    ~ChatStream() override;

    // Streams until the answer ends, fails or is cancelled. Deltas are emitted as parsed.
    QCoro::Task<StreamOutcome> run();

    // Aborts the HTTP request at once; run() then ends with a `cancelled` error.
    void cancel();

Q_SIGNALS:
    void deltaReceived(const ChatDelta &delta);

    // A failed attempt will be retried after `delay` (before any token was received).
    void retrying(int nextAttempt, const ChatError &error, std::chrono::milliseconds delay);

private:
    enum class BodyMode {
        None,        // no body byte yet
        ErrorBody,   // a non-2xx answer: its body is kept (bounded) for the error message
        Sniffing,    // a 2xx answer not labelled text/event-stream: is it one anyway?
        EventStream, // bytes go to the parser
    };
    enum class Phase {
        Connecting,
        WaitingForFirstByte,
        Streaming,
    };
    struct ReplyDeleter
    {
        void operator()(QNetworkReply *reply) const;
    };

    void startAttempt(int attempt);
    std::optional<ChatError> attemptError();
    void onRequestSent();
    void onReadyRead();
    void onFinished();
    void readResponseHead();
    void consume(const QByteArray &bytes);
    void sniff(const QByteArray &bytes);
    void feedParser(QByteArrayView bytes);
    void feedLine(QByteArrayView bytes);
    void fail(ChatError error);
    void armWatchdog(Phase phase);
    void onWatchdogTimeout();
    std::optional<std::chrono::milliseconds> retryAfterHeader() const;

    QPointer<QNetworkAccessManager> m_network;
    ProviderProfile m_profile;
    ChatRequest m_request;
    QByteArray m_requestBody;

    std::unique_ptr<QNetworkReply, ReplyDeleter> m_reply;
    std::unique_ptr<ChatStreamParser> m_parser;
    QTimer *m_wake = nullptr;       // resumes run(): attempt ended, backoff over, cancelled
    QTimer *m_watchdog = nullptr;   // connect, first-byte and idle limits
    QTimer *m_totalTimer = nullptr; // the whole attempt

    ChatReply m_partial; // what the emitted deltas add up to
    std::optional<ChatError> m_failure; // decided here: timeout, cancel, protocol, in-band
    BodyMode m_mode = BodyMode::None;
    Phase m_phase = Phase::Connecting;
    QByteArray m_held; // sniffed bytes, or an error body
    int m_httpStatus = 0;
    qint64 m_bodyBytes = 0;
    bool m_headRead = false;
    bool m_attemptEnded = false;
    bool m_emittedDelta = false;
    bool m_cancelled = false;
    bool m_running = false;
};
