#include "core/redis/redisconnection.h"

#include <QCoroTimer>

// hiredis on Windows expects the Winsock 2 declarations before its own, and nothing may
// have pulled in the older <winsock.h> first.
#ifdef _WIN32
#  include <winsock2.h>
#endif
#include <hiredis/hiredis.h>

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QSslSocket>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

Q_LOGGING_CATEGORY(lcRedis, "chatqueue.redis")

namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{5000};

// Copies a hiredis reply tree into a RedisReply.
RedisReply toReply(const redisReply *raw)
{
    RedisReply reply;
    switch (raw->type) {
    case REDIS_REPLY_STRING:
        reply.type = RedisReply::Type::String;
        reply.string = QByteArray(raw->str, qsizetype(raw->len));
        break;
    case REDIS_REPLY_STATUS:
        reply.type = RedisReply::Type::Status;
        reply.string = QByteArray(raw->str, qsizetype(raw->len));
        break;
    case REDIS_REPLY_ERROR:
        reply.type = RedisReply::Type::Error;
        reply.string = QByteArray(raw->str, qsizetype(raw->len));
        break;
    case REDIS_REPLY_INTEGER:
        reply.type = RedisReply::Type::Integer;
        reply.integer = raw->integer;
        break;
    case REDIS_REPLY_ARRAY:
        reply.type = RedisReply::Type::Array;
        reply.elements.reserve(qsizetype(raw->elements));
        for (size_t i = 0; i < raw->elements; ++i) {
            reply.elements.append(toReply(raw->element[i]));
        }
        break;
    default:
        reply.type = RedisReply::Type::Nil;
        break;
    }
    return reply;
}

QString secondsText(std::chrono::milliseconds span)
{
    return QString::number(double(span.count()) / 1000.0, 'g', 4) + u" s"_s;
}

} // namespace

QCoro::Task<void> redisSleep(std::chrono::milliseconds delay)
{
    QTimer timer;
    timer.setSingleShot(true);
    timer.start(delay);
    co_await &timer;
}

RedisConnection::RedisConnection(RedisUrl url, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
{
    m_replyTimer.setSingleShot(true);
    connect(&m_replyTimer, &QTimer::timeout, this, &RedisConnection::onReplyTimeout);
}

RedisConnection::~RedisConnection()
{
    *m_alive = false;
    const QString reason = u"the connection to Redis at %1 was closed"_s.arg(m_url.endpoint());

    std::deque<PendingReply> replies = std::exchange(m_replies, {});
    auto waiters = std::exchange(m_connectWaiters, {});
    dropSocket();
    for (PendingReply &pending : replies) {
        pending.slot->resolve(RedisError::make(RedisError::Kind::Unavailable, reason));
    }
    for (auto &waiter : waiters) {
        waiter->resolve(RedisError::make(RedisError::Kind::Unavailable, reason));
    }
}

QCoro::Task<RedisResult> RedisConnection::command(QList<QByteArray> argv,
                                                  std::chrono::milliseconds blockFor)
{
    if (m_state != State::Ready) {
        const Result<void, RedisError> opened = co_await open();
        if (!opened) {
            co_return opened.error();
        }
    }

    co_return co_await redisWait(send(argv, blockFor));
}

QCoro::Task<Result<void, RedisError>> RedisConnection::open()
{
    if (m_state == State::Ready) {
        co_return {};
    }

    auto waiter = std::make_shared<RedisPending<Result<void, RedisError>>>();
    m_connectWaiters.push_back(waiter);
    if (m_state == State::Disconnected) {
        m_state = State::Connecting;
        runConnect();
    }
    co_return co_await redisWait(waiter);
}

void RedisConnection::close(const QString &reason)
{
    fail(RedisError::Kind::Unavailable, reason);
}

QCoro::Task<void> RedisConnection::runConnect()
{
    const std::shared_ptr<bool> alive = m_alive;

    // Pace attempts after a failure.
    const auto now = std::chrono::steady_clock::now();
    if (m_nextAttempt > now) {
        co_await redisSleep(std::chrono::ceil<std::chrono::milliseconds>(m_nextAttempt - now));
        if (!*alive) {
            co_return;
        }
    }

    // Socket, then credentials and database.
    Result<void, RedisError> result = co_await openSocket();
    if (!*alive) {
        co_return;
    }
    if (result) {
        result = co_await handshake();
        if (!*alive) {
            co_return;
        }
    }

    // Ready, or paced for the next attempt.
    if (result) {
        m_state = State::Ready;
        m_backoff = 0ms;
        qCInfo(lcRedis) << "connected to" << m_url.describe();
        Q_EMIT connected();
    } else {
        dropSocket();
        m_state = State::Disconnected;
        m_backoff = std::clamp(m_backoff * 2, kFirstBackoff, kMaxBackoff);
        m_nextAttempt = std::chrono::steady_clock::now() + m_backoff;
        qCWarning(lcRedis).noquote() << result.error().message;
    }

    auto waiters = std::exchange(m_connectWaiters, {});
    for (auto &waiter : waiters) {
        waiter->resolve(result);
        if (!*alive) {
            co_return;
        }
    }
}

QCoro::Task<Result<void, RedisError>> RedisConnection::openSocket()
{
    const QString endpoint = m_url.endpoint();
    if (m_url.tls && !QSslSocket::supportsSsl()) {
        co_return RedisError::make(
                RedisError::Kind::Tls,
                u"cannot connect to %1 with TLS: this Qt has no TLS backend"_s.arg(endpoint));
    }

    dropSocket();
    m_socket = new QSslSocket(this);
    m_reader = redisReaderCreate();
    m_sslErrors.clear();

    // TLS: the CA file replaces the system's trust store; insecure skips every check.
    if (m_url.tls) {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        if (!m_url.caFile.isEmpty()) {
            const QList<QSslCertificate> certificates =
                    QSslCertificate::fromPath(m_url.caFile, QSsl::Pem);
            if (certificates.isEmpty()) {
                co_return RedisError::make(RedisError::Kind::Tls,
                                           u"cannot read any CA certificate from \"%1\" (ca= "
                                           "needs a PEM file)"_s.arg(m_url.caFile));
            }
            config.setCaCertificates(certificates);
        }
        if (m_url.insecure) {
            config.setPeerVerifyMode(QSslSocket::VerifyNone);
        }
        m_socket->setSslConfiguration(config);
    }

    // Wait for connected (or encrypted), an error, or the timeout.
    auto outcome = std::make_shared<RedisPending<Result<void, RedisError>>>();
    QObject context;
    QSslSocket *socket = m_socket;
    const auto succeed = [outcome] {
        outcome->resolve({});
    };
    if (m_url.tls) {
        connect(socket, &QSslSocket::encrypted, &context, succeed);
    } else {
        connect(socket, &QSslSocket::connected, &context, succeed);
    }
    connect(socket, &QSslSocket::sslErrors, &context, [this](const QList<QSslError> &errors) {
        for (const QSslError &error : errors) {
            m_sslErrors.append(error.errorString());
        }
    });
    connect(socket, &QSslSocket::errorOccurred, &context, [this, outcome, socket, endpoint] {
        if (!m_sslErrors.isEmpty() || socket->error() == QAbstractSocket::SslHandshakeFailedError) {
            const QString details =
                    m_sslErrors.isEmpty() ? socket->errorString() : m_sslErrors.join(u"; "_s);
            outcome->resolve(RedisError::make(
                    RedisError::Kind::Tls,
                    u"TLS handshake with Redis at %1 failed: %2 (check the server certificate "
                    "and ca=)"_s.arg(endpoint, details)));
            return;
        }
        outcome->resolve(RedisError::make(
                RedisError::Kind::Unavailable,
                u"cannot connect to Redis at %1: %2"_s.arg(endpoint, socket->errorString())));
    });
    QTimer timer;
    timer.setSingleShot(true);
    connect(&timer, &QTimer::timeout, &context, [this, outcome, endpoint] {
        // A plain Redis port never answers a TLS hello, so a wrong scheme looks like this.
        const QString hint = m_url.tls ? u" (with TLS: does that port speak TLS? A plain "
                                         "Redis port needs redis:// instead of rediss://)"_s
                                       : QString();
        outcome->resolve(RedisError::make(
                RedisError::Kind::Unavailable,
                u"timed out after %1 connecting to Redis at %2%3"_s.arg(
                        secondsText(m_url.timeout), endpoint, hint)));
    });
    timer.start(m_url.timeout);

    if (m_url.tls) {
        socket->connectToHostEncrypted(m_url.host, m_url.port);
    } else {
        socket->connectToHost(m_url.host, m_url.port);
    }
    const std::shared_ptr<bool> alive = m_alive;
    Result<void, RedisError> result = co_await redisWait(outcome);
    if (!*alive || !result) {
        co_return result;
    }

    // From here on, replies are read and a loss fails what is in flight.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QSslSocket::readyRead, this, &RedisConnection::onReadyRead);
    connect(socket, &QSslSocket::errorOccurred, this, [this, socket] {
        if (socket == m_socket) {
            fail(RedisError::Kind::Unavailable,
                 u"lost the connection to Redis at %1: %2"_s.arg(m_url.endpoint(),
                                                                 socket->errorString()));
        }
    });
    connect(socket, &QSslSocket::disconnected, this, [this, socket] {
        if (socket == m_socket) {
            fail(RedisError::Kind::Unavailable,
                 u"Redis at %1 closed the connection"_s.arg(m_url.endpoint()));
        }
    });
    m_socketOpen = true;
    co_return result;
}

QCoro::Task<Result<void, RedisError>> RedisConnection::handshake()
{
    // Pipelined: AUTH, SELECT and PING go out together.
    std::shared_ptr<RedisPending<RedisResult>> auth;
    std::shared_ptr<RedisPending<RedisResult>> select;
    if (!m_url.password.isEmpty()) {
        QList<QByteArray> argv{"AUTH"};
        if (!m_url.user.isEmpty()) {
            argv.append(m_url.user.toUtf8());
        }
        argv.append(m_url.password.toUtf8());
        auth = send(argv, 0ms);
    }
    if (m_url.db != 0) {
        select = send({"SELECT", QByteArray::number(m_url.db)}, 0ms);
    }
    const auto ping = send({"PING"}, 0ms);

    const QString user = m_url.user.isEmpty() ? u"default"_s : m_url.user;
    if (auth) {
        const RedisResult reply = co_await redisWait(auth);
        if (!reply) {
            if (reply.error().kind != RedisError::Kind::Reply) {
                co_return reply.error();
            }
            co_return RedisError::make(RedisError::Kind::Auth,
                                       u"Redis at %1 refused the password for user %2: %3"_s
                                               .arg(m_url.endpoint(), user, reply.error().message));
        }
    }
    if (select) {
        const RedisResult reply = co_await redisWait(select);
        if (!reply) {
            co_return RedisError::make(
                    reply.error().kind,
                    u"Redis at %1 refused database %2: %3"_s.arg(m_url.endpoint(),
                                                                 QString::number(m_url.db),
                                                                 reply.error().message));
        }
    }
    const RedisResult pong = co_await redisWait(ping);
    if (!pong) {
        if (pong.error().message.startsWith(u"NOAUTH"_s)) {
            co_return RedisError::make(
                    RedisError::Kind::Auth,
                    u"Redis at %1 needs a password; give it in the URL "
                    "(redis://user:password@host): %2"_s.arg(m_url.endpoint(),
                                                             pong.error().message));
        }
        co_return pong.error();
    }
    co_return {};
}

std::shared_ptr<RedisPending<RedisResult>> RedisConnection::send(const QList<QByteArray> &argv,
                                                                 std::chrono::milliseconds blockFor)
{
    auto slot = std::make_shared<RedisPending<RedisResult>>();
    if (!m_socket || !m_reader) {
        slot->resolve(RedisError::make(RedisError::Kind::Unavailable,
                                       u"not connected to Redis at %1"_s.arg(m_url.endpoint())));
        return slot;
    }

    // Format with hiredis, which owns the RESP encoding.
    std::vector<const char *> pointers;
    std::vector<size_t> lengths;
    pointers.reserve(size_t(argv.size()));
    lengths.reserve(size_t(argv.size()));
    for (const QByteArray &arg : argv) {
        pointers.push_back(arg.constData());
        lengths.push_back(size_t(arg.size()));
    }
    char *formatted = nullptr;
    const int length =
            redisFormatCommandArgv(&formatted, int(argv.size()), pointers.data(), lengths.data());
    if (length < 0 || !formatted) {
        slot->resolve(
                RedisError::make(RedisError::Kind::Protocol, u"cannot format a Redis command"_s));
        return slot;
    }
    m_socket->write(formatted, length);
    redisFreeCommand(formatted);

    m_replies.push_back({slot, std::chrono::steady_clock::now() + m_url.timeout + blockFor});
    if (m_replies.size() == 1) {
        armReplyTimer();
    }
    return slot;
}

void RedisConnection::onReadyRead()
{
    if (!m_socket || !m_reader) {
        return;
    }
    const QByteArray data = m_socket->readAll();
    if (redisReaderFeed(m_reader, data.constData(), size_t(data.size())) != REDIS_OK) {
        fail(RedisError::Kind::Protocol, u"cannot buffer a reply from Redis"_s);
        return;
    }

    const std::shared_ptr<bool> alive = m_alive;
    const QSslSocket *socket = m_socket;
    while (*alive && m_socket == socket && m_reader) {
        void *raw = nullptr;
        if (redisReaderGetReply(m_reader, &raw) != REDIS_OK) {
            fail(RedisError::Kind::Protocol,
                 u"Redis at %1 sent something that is not RESP: %2"_s.arg(
                         m_url.endpoint(),
                         QString::fromUtf8(m_reader->errstr)));
            return;
        }
        if (!raw) {
            // A reply in progress: bound what one reply may hold in memory.
            if (qsizetype(m_reader->len - m_reader->pos) > m_maxReplyBytes) {
                fail(RedisError::Kind::Protocol,
                     u"a reply from Redis at %1 exceeds %2 MiB"_s.arg(
                             m_url.endpoint(),
                             QString::number(m_maxReplyBytes >> 20)));
            }
            return;
        }

        RedisReply reply = toReply(static_cast<redisReply *>(raw));
        freeReplyObject(raw);
        if (m_replies.empty()) {
            fail(RedisError::Kind::Protocol,
                 u"Redis at %1 sent a reply nobody asked for"_s.arg(m_url.endpoint()));
            return;
        }

        const std::shared_ptr<RedisPending<RedisResult>> slot = m_replies.front().slot;
        m_replies.pop_front();
        armReplyTimer();
        if (reply.isError()) {
            slot->resolve(RedisError::make(RedisError::Kind::Reply, reply.toString()));
        } else {
            slot->resolve(std::move(reply));
        }
    }
}

void RedisConnection::fail(RedisError::Kind kind, const QString &reason)
{
    const bool wasReady = m_state == State::Ready;
    dropSocket();
    if (wasReady) {
        m_state = State::Disconnected;
        m_nextAttempt = {};
        qCWarning(lcRedis).noquote() << reason;
    }

    const std::shared_ptr<bool> alive = m_alive;
    std::deque<PendingReply> replies = std::exchange(m_replies, {});
    m_replyTimer.stop();
    for (PendingReply &pending : replies) {
        pending.slot->resolve(RedisError::make(kind, reason));
        if (!*alive) {
            return;
        }
    }
    if (wasReady) {
        Q_EMIT disconnected(reason);
    }
}

void RedisConnection::dropSocket()
{
    m_socketOpen = false;
    if (m_socket) {
        // This may run inside the socket's own readyRead (a reply resolved a waiter that then
        // dropped the connection), so the socket must outlive this call: unparent it and let
        // the event loop delete it.
        m_socket->disconnect(this);
        m_socket->setParent(nullptr);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    if (m_reader) {
        redisReaderFree(m_reader);
        m_reader = nullptr;
    }
}

void RedisConnection::armReplyTimer()
{
    if (m_replies.empty()) {
        m_replyTimer.stop();
        return;
    }
    const auto left = m_replies.front().deadline - std::chrono::steady_clock::now();
    m_replyTimer.start(std::max(0ms, std::chrono::ceil<std::chrono::milliseconds>(left)));
}

void RedisConnection::onReplyTimeout()
{
    if (m_replies.empty()) {
        return;
    }
    if (m_replies.front().deadline > std::chrono::steady_clock::now()) {
        armReplyTimer();
        return;
    }
    fail(RedisError::Kind::Unavailable,
         u"Redis at %1 did not answer within %2"_s.arg(m_url.endpoint(),
                                                       secondsText(m_url.timeout)));
}
