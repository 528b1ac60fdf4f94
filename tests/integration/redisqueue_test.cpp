// The Redis queue: the conformance suite every backend runs, then what only Redis does —
// leases and reclaims across workers, poison entries, restarts — against a private
// redis-server started for this test binary.

#include "tests/integration/queueconformance.h"

#include "core/redis/redisbackend.h"
#include "core/redis/redisconnection.h"
#include "tests/support/redisserver.h"

#include <gtest/gtest.h>

#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// One server for the whole binary, stopped when the tests end; each backend gets a key
// prefix of its own, so every test starts on an empty queue.
class SharedRedis : public ::testing::Environment
{
public:
    static RedisServer &server()
    {
        static RedisServer *instance = nullptr;
        if (!instance) {
            instance = new RedisServer();
            ::testing::AddGlobalTestEnvironment(new SharedRedis(instance));
            EXPECT_TRUE(instance->start()) << instance->errorString().toStdString();
        }
        return *instance;
    }

    explicit SharedRedis(RedisServer *server)
        : m_server(server)
    {
    }

    void TearDown() override { m_server->stop(); }

private:
    RedisServer *m_server;
};

RedisServer &sharedServer()
{
    return SharedRedis::server();
}

QString freshUrl(const QString &options = {})
{
    static std::atomic<int> counter {0};
    return sharedServer().url() + u"?prefix=t%1:"_s.arg(++counter)
           + (options.isEmpty() ? QString() : u'&' + options);
}

std::shared_ptr<QueueBackend> openRedis(const QString &url)
{
    auto backend = openRedisBackend(url);
    EXPECT_TRUE(backend.ok()) << (backend ? std::string() : backend.error().message.toStdString());
    return backend ? *backend : nullptr;
}

} // namespace

INSTANTIATE_TEST_SUITE_P(Redis, QueueConformance,
                         ::testing::Values(QueueBackendFactory {u"Redis"_s, [] {
                             return openRedis(freshUrl());
                         }}),
                         queueBackendFactoryName);
