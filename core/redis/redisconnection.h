#pragma once

#include "core/redis/redisreply.h"
#include "core/redis/redisurl.h"
#include "core/util/result.h"

#include <QCoroTask>

#include <QByteArray>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <coroutine>
#include <deque>
#include <memory>
#include <optional>
#include <utility>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

class QSslSocket;
struct redisReader;

using RedisResult = Result<RedisReply, RedisError>;

// A one-shot value that a coroutine can co_await. The producer calls resolve() once; the
// waiting coroutine, if any, resumes inside that call.
template <typename T>
class RedisPending
{
public:
    bool isResolved() const { return m_value.has_value(); }

    void resolve(T value)
    {
        if (m_value) {
            return;
        }
        m_value.emplace(std::move(value));
        if (m_waiter) {
            std::exchange(m_waiter, {}).resume();
        }
    }

    struct Awaiter
    {
        std::shared_ptr<RedisPending> pending;

        bool await_ready() const noexcept { return pending->m_value.has_value(); }

        void await_suspend(std::coroutine_handle<> waiter) noexcept { pending->m_waiter = waiter; }

        T await_resume() { return std::move(*pending->m_value); }
    };

private:
    std::optional<T> m_value;
    std::coroutine_handle<> m_waiter;
};

// co_await redisWait(pending) suspends until pending->resolve() and yields its value.
template <typename T>
typename RedisPending<T>::Awaiter redisWait(std::shared_ptr<RedisPending<T>> pending)
{
    return {std::move(pending)};
}

// Suspends the calling coroutine for `delay` without blocking its thread.
QCoro::Task<void> redisSleep(std::chrono::milliseconds delay);

// One connection to one Redis server, used from the thread that created it.
//
// Commands are formatted and replies parsed by hiredis; the bytes travel over a QSslSocket
// (plain TCP for redis://), so TLS works whatever hiredis was built with. command() sends at
// once and returns a task for the reply, so issuing several commands before awaiting any
// pipelines them; replies come back in order.
//
// The connection opens on first use: TCP (and TLS), then AUTH, SELECT and PING in one round
// trip. When it is lost, every command in flight fails with Unavailable and the next command
// reconnects; a failed attempt makes the next one wait (100 ms, doubling up to 5 s), so a
// caller that retries in a loop is paced by the connection. Error replies of a command come
// back as RedisError::Kind::Reply; inside an array reply they stay RedisReply::Type::Error.
class RedisConnection : public QObject
{
    Q_OBJECT

public:
    explicit RedisConnection(RedisUrl url, QObject *parent = nullptr);
    ~RedisConnection() override; // commands still in flight fail with Unavailable

    const RedisUrl &url() const { return m_url; }

    bool isReady() const { return m_state == State::Ready; }

    // Sends one command. `blockFor` is how long the server may hold the reply on purpose
    // (BLOCK of XREAD and XREADGROUP); it is added to the reply timeout.
    QCoro::Task<RedisResult> command(QList<QByteArray> argv,
                                     std::chrono::milliseconds blockFor = {});

    // Opens the connection unless it is open; fails like a command would.
    QCoro::Task<Result<void, RedisError>> open();

    // Drops the connection; commands in flight fail with Unavailable.
    void close(const QString &reason);

    // Replies larger than this fail the connection with a Protocol error (default 256 MiB):
    // a bound on what one server can make this process buffer.
    void setMaxReplyBytes(qsizetype bytes) { m_maxReplyBytes = bytes; }

Q_SIGNALS:
    void connected();
    void disconnected(const QString &reason);

private:
    enum class State {
        Disconnected,
        Connecting,
        Ready
    };

    struct PendingReply
    {
        std::shared_ptr<RedisPending<RedisResult>> slot;
        std::chrono::steady_clock::time_point deadline;
    };

    QCoro::Task<void> runConnect();
    QCoro::Task<Result<void, RedisError>> openSocket();
    QCoro::Task<Result<void, RedisError>> handshake();
    std::shared_ptr<RedisPending<RedisResult>> send(const QList<QByteArray> &argv,
                                                    std::chrono::milliseconds blockFor);
    void onReadyRead();
    void fail(RedisError::Kind kind, const QString &reason);
    void dropSocket();
    void armReplyTimer();
    void onReplyTimeout();

    RedisUrl m_url;
    State m_state = State::Disconnected;
    QSslSocket *m_socket = nullptr;
    redisReader *m_reader = nullptr;
    bool m_socketOpen = false;
    QStringList m_sslErrors;

    std::deque<PendingReply> m_replies;
    std::deque<std::shared_ptr<RedisPending<Result<void, RedisError>>>> m_connectWaiters;
    QTimer m_replyTimer;

    std::chrono::milliseconds m_backoff{0};
    std::chrono::steady_clock::time_point m_nextAttempt;
    qsizetype m_maxReplyBytes = qsizetype(256) * 1024 * 1024;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};
