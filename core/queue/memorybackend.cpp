#include "core/queue/memorybackend.h"

#include "core/queue/memoryjobqueue.h"
#include "core/queue/memoryjobstore.h"

using namespace Qt::StringLiterals;

Result<std::shared_ptr<MemoryBackend>, QueueError> MemoryBackend::open(const QString &dataDir)
{
    auto store = MemoryJobStore::open(dataDir);
    if (!store) {
        return store.error();
    }
    return std::make_shared<MemoryBackend>(std::move(store).value());
}

MemoryBackend::MemoryBackend(std::shared_ptr<MemoryJobStore> store)
    : m_store(std::move(store))
{
}

QString MemoryBackend::describe() const
{
    if (m_store->dataDir().isEmpty()) {
        return u"memory (not persisted)"_s;
    }
    return u"memory (jobs kept in %1)"_s.arg(m_store->dataDir());
}

std::unique_ptr<JobQueue> MemoryBackend::connect(QObject *parent)
{
    return std::make_unique<MemoryJobQueue>(m_store, parent);
}
