#include "core/queue/memorynotifier.h"

#include <QMetaObject>

void MemoryNotifier::post()
{
    // Only the first post after a delivery queues a call; the rest ride along with it.
    if (m_pending.exchange(true)) {
        return;
    }
    QMetaObject::invokeMethod(this, &MemoryNotifier::deliver, Qt::QueuedConnection);
}

void MemoryNotifier::postCancel(const QString &jobId)
{
    QMetaObject::invokeMethod(
            this, [this, jobId] { Q_EMIT cancelRequested(jobId); }, Qt::QueuedConnection);
}

void MemoryNotifier::close()
{
    m_closed = true;
    Q_EMIT woken();
}

void MemoryNotifier::deliver()
{
    m_pending = false;
    Q_EMIT woken();
}
