#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

// One RESP2 reply as a plain value: nil, an integer, a bulk string, a status line ("OK"),
// an error line ("WRONGTYPE …") or an array of replies.
struct RedisReply
{
    enum class Type {
        Nil,
        Integer,
        String,
        Status,
        Error,
        Array
    };

    Type type = Type::Nil;
    qint64 integer = 0;
    QByteArray string; // String, Status and Error
    QList<RedisReply> elements;

    bool isNil() const { return type == Type::Nil; }

    bool isError() const { return type == Type::Error; }

    bool isArray() const { return type == Type::Array; }

    // The text of a string, status or error reply; empty for the others.
    QString toString() const { return QString::fromUtf8(string); }

    // An integer reply, or a string reply that holds a decimal integer.
    std::optional<qint64> toInteger() const;

    // A compact one-line rendering for logs and test failures.
    QString debugText() const;
};

// Why a command got no reply from the server.
struct RedisError
{
    enum class Kind {
        Unavailable, // no connection: refused, lost, timed out; trying again later may help
        Auth,        // the server refused the credentials or needs some
        Tls,         // the TLS handshake failed: certificate, CA or protocol
        Protocol,    // the server sent something that is not RESP, or too much of it
        Reply,       // the server answered with an error reply; `message` holds it
    };

    Kind kind = Kind::Unavailable;
    QString message;

    static RedisError make(Kind kind, QString message)
    {
        return RedisError{kind, std::move(message)};
    }
};
