#include "core/worker/networkpool.h"

#include <QNetworkAccessManager>

NetworkPool::NetworkPool(QObject *parent)
    : QObject(parent)
{}

QNetworkAccessManager *NetworkPool::acquire()
{
    Entry *best = nullptr;
    for (Entry &entry : m_entries) {
        if (entry.streams < kStreamsPerManager && (!best || entry.streams < best->streams)) {
            best = &entry;
        }
    }

    if (!best) {
        m_entries.append(Entry{new QNetworkAccessManager(this), 0});
        best = &m_entries.last();
    }
    ++best->streams;
    return best->manager;
}

void NetworkPool::release(QNetworkAccessManager *manager)
{
    for (Entry &entry : m_entries) {
        if (entry.manager == manager) {
            entry.streams = std::max(0, entry.streams - 1);
            return;
        }
    }
}

int NetworkPool::managerCount() const
{
    return int(m_entries.size());
}
