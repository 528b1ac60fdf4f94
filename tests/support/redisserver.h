#pragma once

#include <QCoroTask>

#include <QEventLoop>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QTimer>

#include <chrono>
#include <memory>
#include <optional>

struct RedisServerOptions
{
    bool appendOnly = false; // AOF with fsync on every write, for restart tests
    QString user;            // an ACL user with every right; the default user is then off
    QString password;
    bool tls = false; // TLS only, with a CA and server certificate made by `openssl`
};

// A private redis-server for one test: started from PATH on a free loopback port with its
// own temporary directory, stopped by PID when the object goes. It can be restarted on the
// same port and directory (its data survives when AOF is on) or killed outright.
class RedisServer
{
public:
    explicit RedisServer(RedisServerOptions options = {});
    ~RedisServer();

    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;

    // Starts the server and waits until it answers PING. False, with errorString(), when
    // redis-server is missing or does not come up.
    bool start();
    void stop();    // SIGTERM, then wait
    void kill();    // SIGKILL, then wait
    bool restart(); // stop() and start() on the same port and directory

    bool isRunning() const;

    quint16 port() const { return m_port; }

    QString dir() const { return m_dir.path(); }

    QString errorString() const { return m_error; }

    // A URL to this server with the configured user and password (and ca= for TLS).
    QString url() const;
    // The same URL with other credentials, or none when both are empty.
    QString urlWith(const QString &user, const QString &password) const;

    // TLS only: the CA that signed the server certificate, and another one that did not.
    QString caFile() const;
    QString otherCaFile() const;

private:
    bool makeCertificates();
    bool waitForPing(std::chrono::milliseconds timeout);

    RedisServerOptions m_options;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_process;
    QString m_error;
};

// Runs the event loop until `task` finishes and returns its value; nullopt after `timeout`.
template <typename T>
std::optional<T> waitForTask(QCoro::Task<T> task,
                             std::chrono::milliseconds timeout = std::chrono::seconds(30))
{
    struct State
    {
        std::optional<T> result;
        QEventLoop *loop = nullptr;
    };

    auto state = std::make_shared<State>();
    QEventLoop loop;
    state->loop = &loop;
    auto runner = [](QCoro::Task<T> inner, std::shared_ptr<State> shared) -> QCoro::Task<void> {
        T value = co_await inner;
        shared->result.emplace(std::move(value));
        if (shared->loop) {
            shared->loop->quit();
        }
    };
    QCoro::Task<void> running = runner(std::move(task), state);
    if (!state->result) {
        QTimer::singleShot(timeout, &loop, &QEventLoop::quit);
        loop.exec();
    }
    state->loop = nullptr;
    return std::move(state->result);
}

// Runs the event loop for `span`, so that timers and sockets make progress.
void spinEventLoop(std::chrono::milliseconds span);
