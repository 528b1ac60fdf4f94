#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QString>

#include <chrono>

// Where a Redis server is and how to talk to it, parsed from a URL:
//
//   redis://[[user]:password@]host[:port][/db][?option=value&…]
//   rediss://…            (the same over TLS)
//
// Options: ca=FILE (PEM file of the CA certificates to trust instead of the system's),
// insecure=1 (skip certificate checks; off by default, for testing only), prefix=TEXT (key
// prefix, default "chatqueue:"), lease=SECONDS, ttl=SECONDS, attempts=N and
// timeout=SECONDS (connect and reply timeout). Unknown options are an error, so a typo
// never silently falls back to a default.
struct RedisUrl
{
    bool tls = false;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString user;     // empty: the server's default user
    QString password; // empty: no AUTH
    int db = 0;

    QString caFile;
    bool insecure = false;
    QByteArray prefix = QByteArrayLiteral("chatqueue:");

    std::chrono::milliseconds lease{std::chrono::seconds(30)};
    std::chrono::seconds ttl{std::chrono::hours(24)};
    int maxAttempts = 5;
    std::chrono::milliseconds timeout{std::chrono::seconds(10)};

    // The parsed URL, or a message that says what is wrong with it.
    static Result<RedisUrl, QString> parse(const QString &url);

    // "rediss://alice@redis.example:6380/2" — never the password.
    QString describe() const;

    // "host:port" for error messages.
    QString endpoint() const;
};
