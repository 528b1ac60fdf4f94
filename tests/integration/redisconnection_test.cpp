#include "core/redis/redisconnection.h"

#include <gtest/gtest.h>

#include <QTcpServer>

#include "tests/support/redisserver.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

RedisUrl parsed(const QString &text)
{
    const auto url = RedisUrl::parse(text);
    EXPECT_TRUE(url.ok()) << url.error().toStdString();
    return url.ok() ? url.value() : RedisUrl{};
}

// Runs one command to completion; an Unavailable error when it never finished.
RedisResult run(RedisConnection &connection, QList<QByteArray> argv)
{
    auto result = waitForTask(connection.command(std::move(argv)), 20s);
    if (!result) {
        return RedisError::make(RedisError::Kind::Unavailable, u"the test timed out"_s);
    }
    return std::move(*result);
}

RedisServerOptions options(const QString &user, const QString &password, bool tls = false)
{
    RedisServerOptions result;
    result.user = user;
    result.password = password;
    result.tls = tls;
    return result;
}

QString errorText(const RedisResult &result)
{
    return result.ok() ? u"(no error: "_s + result->debugText() + u')' : result.error().message;
}

} // namespace

TEST(RedisConnection, PingSetAndGet)
{
    RedisServer server;
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisConnection connection(parsed(server.url()));

    const RedisResult pong = run(connection, {"PING"});
    const RedisResult set = run(connection, {"SET", "greeting", "你好\r\nworld"});
    const RedisResult get = run(connection, {"GET", "greeting"});
    const RedisResult missing = run(connection, {"GET", "nothing-here"});

    ASSERT_TRUE(pong.ok()) << errorText(pong).toStdString();
    EXPECT_EQ(pong->string, QByteArray("PONG"));
    ASSERT_TRUE(set.ok());
    ASSERT_TRUE(get.ok());
    EXPECT_EQ(get->type, RedisReply::Type::String);
    EXPECT_EQ(get->toString(), u"你好\r\nworld"_s);
    ASSERT_TRUE(missing.ok());
    EXPECT_TRUE(missing->isNil());
}

TEST(RedisConnection, ReturnsErrorRepliesAsErrors)
{
    RedisServer server;
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisConnection connection(parsed(server.url()));
    ASSERT_TRUE(run(connection, {"SET", "text", "x"}).ok());

    const RedisResult wrongType = run(connection, {"LPUSH", "text", "y"});
    const RedisResult after = run(connection, {"GET", "text"});

    ASSERT_FALSE(wrongType.ok());
    EXPECT_EQ(wrongType.error().kind, RedisError::Kind::Reply);
    EXPECT_TRUE(wrongType.error().message.startsWith(u"WRONGTYPE"_s));
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->toString(), u"x"_s);
}

TEST(RedisConnection, PipelinesCommandsAndKeepsTheirOrder)
{
    RedisServer server;
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisConnection connection(parsed(server.url()));
    auto pipeline = [](RedisConnection *c) -> QCoro::Task<QList<qint64>> {
        std::vector<QCoro::Task<RedisResult>> inFlight;
        for (int i = 0; i < 200; ++i) {
            inFlight.push_back(c->command({"INCR", "counter"}));
        }
        QList<qint64> values;
        for (auto &task : inFlight) {
            const RedisResult reply = co_await task;
            values.append(reply.ok() ? reply->integer : -1);
        }
        co_return values;
    };

    const auto values = waitForTask(pipeline(&connection));

    ASSERT_TRUE(values.has_value());
    ASSERT_EQ(values->size(), 200);
    for (int i = 0; i < 200; ++i) {
        EXPECT_EQ(values->at(i), i + 1);
    }
}

TEST(RedisConnection, ReadsNestedArrays)
{
    RedisServer server;
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisConnection connection(parsed(server.url()));
    ASSERT_TRUE(run(connection, {"XADD", "s", "1-1", "field", "value"}).ok());

    const RedisResult range = run(connection, {"XRANGE", "s", "-", "+"});

    ASSERT_TRUE(range.ok()) << errorText(range).toStdString();
    ASSERT_EQ(range->elements.size(), 1);
    const RedisReply &entry = range->elements.first();
    ASSERT_EQ(entry.elements.size(), 2);
    EXPECT_EQ(entry.elements[0].string, QByteArray("1-1"));
    EXPECT_EQ(entry.elements[1].elements[1].string, QByteArray("value"));
}

TEST(RedisConnection, SelectsTheDatabaseOfTheUrl)
{
    RedisServer server;
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisUrl url = parsed(server.url());
    url.db = 3;
    RedisConnection connection(url);

    const RedisResult set = run(connection, {"SET", "k", "v"});
    const RedisResult index = run(connection, {"CLIENT", "INFO"});

    ASSERT_TRUE(set.ok());
    ASSERT_TRUE(index.ok());
    EXPECT_TRUE(index->toString().contains(u" db=3 "_s)) << index->toString().toStdString();
}

TEST(RedisConnection, AuthenticatesAnAclUser)
{
    RedisServer server(options(u"alice"_s, u"p@ss word"_s));
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisConnection connection(parsed(server.url()));

    const RedisResult whoami = run(connection, {"ACL", "WHOAMI"});

    ASSERT_TRUE(whoami.ok()) << errorText(whoami).toStdString();
    EXPECT_EQ(whoami->toString(), u"alice"_s);
}

TEST(RedisConnection, WrongPasswordGivesAClearError)
{
    RedisServer server(options(u"alice"_s, u"right"_s));
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisConnection connection(parsed(server.urlWith(u"alice"_s, u"wrong"_s)));

    const RedisResult reply = run(connection, {"PING"});

    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.error().kind, RedisError::Kind::Auth);
    EXPECT_TRUE(reply.error().message.contains(u"refused the password for user alice"_s))
            << reply.error().message.toStdString();
    EXPECT_TRUE(reply.error().message.contains(u"WRONGPASS"_s));
    EXPECT_FALSE(reply.error().message.contains(u"wrong"_s, Qt::CaseSensitive));
}

TEST(RedisConnection, MissingPasswordGivesAClearError)
{
    RedisServer server(options(u"alice"_s, u"right"_s));
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisConnection connection(parsed(server.urlWith({}, {})));

    const RedisResult reply = run(connection, {"PING"});

    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.error().kind, RedisError::Kind::Auth);
    EXPECT_TRUE(reply.error().message.contains(u"needs a password"_s))
            << reply.error().message.toStdString();
}

TEST(RedisConnection, RefusedConnectionGivesAClearError)
{
    quint16 port = 0;
    {
        RedisServer server;
        ASSERT_TRUE(server.start()) << server.errorString().toStdString();
        port = server.port();
    }
    RedisConnection connection(parsed(u"redis://127.0.0.1:%1/0"_s.arg(port)));

    const RedisResult reply = run(connection, {"PING"});

    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.error().kind, RedisError::Kind::Unavailable);
    EXPECT_TRUE(reply.error().message.contains(u"cannot connect to Redis at 127.0.0.1"_s))
            << reply.error().message.toStdString();
}

TEST(RedisConnection, ConnectsWithTlsAndTheTestCa)
{
    RedisServer server(options(u"alice"_s, u"secret"_s, true));
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisConnection connection(parsed(server.url()));

    const RedisResult set = run(connection, {"SET", "over", "tls"});
    const RedisResult get = run(connection, {"GET", "over"});

    ASSERT_TRUE(set.ok()) << errorText(set).toStdString();
    ASSERT_TRUE(get.ok());
    EXPECT_EQ(get->toString(), u"tls"_s);
}

TEST(RedisConnection, TlsWithAnotherCaGivesAClearError)
{
    RedisServer server(options({}, {}, true));
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisUrl url = parsed(server.url());
    url.caFile = server.otherCaFile();
    RedisConnection connection(url);

    const RedisResult reply = run(connection, {"PING"});

    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.error().kind, RedisError::Kind::Tls);
    EXPECT_TRUE(reply.error().message.contains(u"TLS handshake"_s))
            << reply.error().message.toStdString();
}

TEST(RedisConnection, TlsInsecureSkipsCertificateChecks)
{
    RedisServer server(options({}, {}, true));
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisUrl url = parsed(server.url());
    url.caFile = server.otherCaFile();
    url.insecure = true;
    RedisConnection connection(url);

    const RedisResult reply = run(connection, {"PING"});

    ASSERT_TRUE(reply.ok()) << errorText(reply).toStdString();
}

TEST(RedisConnection, ReconnectsAfterTheServerRestarts)
{
    RedisServerOptions persistent;
    persistent.appendOnly = true;
    RedisServer server(persistent);
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisConnection connection(parsed(server.url()));
    ASSERT_TRUE(run(connection, {"SET", "kept", "yes"}).ok());

    ASSERT_TRUE(server.restart()) << server.errorString().toStdString();
    RedisResult reply = run(connection, {"GET", "kept"});
    for (int i = 0; i < 50 && !reply.ok(); ++i) {
        EXPECT_EQ(reply.error().kind, RedisError::Kind::Unavailable);
        reply = run(connection, {"GET", "kept"});
    }

    ASSERT_TRUE(reply.ok()) << errorText(reply).toStdString();
    EXPECT_EQ(reply->toString(), u"yes"_s);
}

TEST(RedisConnection, FailsCommandsInFlightWhenTheServerDies)
{
    RedisServer server;
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisConnection connection(parsed(server.url()));
    ASSERT_TRUE(run(connection, {"PING"}).ok());
    auto blocked = connection.command({"BLPOP", "never", "30"}, 30s);

    server.kill();
    const auto reply = waitForTask(std::move(blocked), 20s);

    ASSERT_TRUE(reply.has_value());
    ASSERT_FALSE(reply->ok());
    EXPECT_EQ(reply->error().kind, RedisError::Kind::Unavailable);
}

TEST(RedisConnection, RefusesRepliesLargerThanItsBound)
{
    RedisServer server;
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    RedisConnection connection(parsed(server.url()));
    connection.setMaxReplyBytes(64 * 1024);
    ASSERT_TRUE(run(connection, {"SET", "big", QByteArray(256 * 1024, 'x')}).ok());

    const RedisResult big = run(connection, {"GET", "big"});
    const RedisResult after = run(connection, {"STRLEN", "big"});

    ASSERT_FALSE(big.ok());
    EXPECT_EQ(big.error().kind, RedisError::Kind::Protocol);
    EXPECT_TRUE(big.error().message.contains(u"exceeds"_s)) << big.error().message.toStdString();
    ASSERT_TRUE(after.ok()) << errorText(after).toStdString();
    EXPECT_EQ(after->integer, 256 * 1024);
}

TEST(RedisConnection, ServerThatNeverAnswersTimesOut)
{
    QTcpServer silent;
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost, 0));
    RedisConnection connection(
            parsed(u"redis://127.0.0.1:%1/0?timeout=0.3"_s.arg(silent.serverPort())));

    const RedisResult reply = run(connection, {"PING"});

    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.error().kind, RedisError::Kind::Unavailable);
    EXPECT_TRUE(reply.error().message.contains(u"did not answer within 0.3 s"_s))
            << reply.error().message.toStdString();
}
