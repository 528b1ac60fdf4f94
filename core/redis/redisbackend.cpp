#include "core/redis/redisbackend.h"

#include "core/redis/redisjobqueue.h"

using namespace Qt::StringLiterals;

RedisBackend::RedisBackend(RedisUrl url)
    : m_url(std::move(url))
{}

QString RedisBackend::describe() const
{
    return m_url.describe();
}

std::unique_ptr<JobQueue> RedisBackend::connect(QObject *parent)
{
    return std::make_unique<RedisJobQueue>(m_url, parent);
}

Result<std::shared_ptr<QueueBackend>, QueueError> openRedisBackend(const QString &url)
{
    Result<RedisUrl, QString> parsed = RedisUrl::parse(url);
    if (!parsed) {
        return QueueError::make(QueueError::Kind::Invalid,
                                u"Invalid Redis queue URL: %1"_s.arg(parsed.error()));
    }
    return std::shared_ptr<QueueBackend>(std::make_shared<RedisBackend>(parsed.value()));
}
