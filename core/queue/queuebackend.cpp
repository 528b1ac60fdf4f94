#include "core/queue/jobqueue.h"

#include "core/queue/memorybackend.h"
#include "core/queue/queuelog.h"

// The Redis backend lives in core/redis and is built only once its sources exist; this
// file picks it up from there without knowing its internals.
#if __has_include("core/redis/redisbackend.h")
#  include "core/redis/redisbackend.h"
#  define CHATQUEUE_HAS_REDIS_BACKEND 1
#else
#  define CHATQUEUE_HAS_REDIS_BACKEND 0
#endif

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcQueue, "chatqueue.queue")

Result<std::shared_ptr<QueueBackend>, QueueError> openQueueBackend(const QString &url,
                                                                   const QString &dataDir)
{
    const QString trimmed = url.trimmed();
    if (trimmed.isEmpty() || trimmed == u"memory"_s) {
        auto backend = MemoryBackend::open(dataDir);
        if (!backend) {
            return backend.error();
        }
        return std::shared_ptr<QueueBackend>(std::move(backend).value());
    }

    if (trimmed.startsWith(u"redis://"_s) || trimmed.startsWith(u"rediss://"_s)) {
#if CHATQUEUE_HAS_REDIS_BACKEND
        return openRedisBackend(trimmed);
#else
        return QueueError::make(QueueError::Kind::Unavailable,
                                u"This build has no Redis queue backend."_s);
#endif
    }

    return QueueError::make(QueueError::Kind::Invalid,
                            u"Unknown queue \"%1\": use \"memory\", redis://… or rediss://…"_s
                                    .arg(trimmed));
}
