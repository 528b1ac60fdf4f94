#pragma once

#include "core/queue/jobqueue.h"
#include "core/redis/redisurl.h"

#include <memory>

// The Redis queue backend: hands each thread its own RedisJobQueue for one URL.
class RedisBackend : public QueueBackend
{
public:
    explicit RedisBackend(RedisUrl url);

    QString describe() const override;
    std::unique_ptr<JobQueue> connect(QObject *parent = nullptr) override;

    const RedisUrl &url() const { return m_url; }

private:
    RedisUrl m_url;
};

// Opens the backend a redis:// or rediss:// URL names; Invalid when the URL is not one.
// Nothing connects until a JobQueue makes its first call.
Result<std::shared_ptr<QueueBackend>, QueueError> openRedisBackend(const QString &url);
