#pragma once

#include "core/queue/jobqueue.h"

#include <memory>

class MemoryJobStore;

// The in-process queue: one shared store, one MemoryJobQueue per thread that asks.
// Jobs are persisted under the data folder given to open() (none when it is empty).
class MemoryBackend : public QueueBackend
{
public:
    static Result<std::shared_ptr<MemoryBackend>, QueueError> open(const QString &dataDir);

    explicit MemoryBackend(std::shared_ptr<MemoryJobStore> store);

    QString describe() const override;
    std::unique_ptr<JobQueue> connect(QObject *parent = nullptr) override;

private:
    std::shared_ptr<MemoryJobStore> m_store;
};
