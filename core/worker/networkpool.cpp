#include "core/worker/networkpool.h"

#include <QNetworkAccessManager>

NetworkPool::NetworkPool(QObject *parent)
    : QObject(parent)
{}

QNetworkAccessManager *NetworkPool::acquire(const ProxySettings &proxy)
{
    Entry *best = nullptr;
    for (Entry &entry : m_entries) {
        if (entry.proxy == proxy && entry.streams < kStreamsPerManager
            && (!best || entry.streams < best->streams)) {
            best = &entry;
        }
    }

    if (!best) {
        auto *manager = new QNetworkAccessManager(this);
        manager->setProxy(networkProxy(proxy));
        m_entries.append(Entry{manager, proxy, 0});
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

QNetworkProxy NetworkPool::networkProxy(const ProxySettings &proxy)
{
    switch (proxy.type) {
    case ProxySettings::Type::System:
        return QNetworkProxy(QNetworkProxy::DefaultProxy);
    case ProxySettings::Type::None:
        return QNetworkProxy(QNetworkProxy::NoProxy);
    case ProxySettings::Type::Http:
        return QNetworkProxy(QNetworkProxy::HttpProxy,
                             proxy.host,
                             proxy.port,
                             proxy.user,
                             proxy.password);
    case ProxySettings::Type::Socks5:
        return QNetworkProxy(QNetworkProxy::Socks5Proxy,
                             proxy.host,
                             proxy.port,
                             proxy.user,
                             proxy.password);
    }
    return QNetworkProxy(QNetworkProxy::DefaultProxy);
}
