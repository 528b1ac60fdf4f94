#pragma once

#include "core/provider/providerprofile.h"

#include <QList>
#include <QNetworkProxy>
#include <QObject>

class QNetworkAccessManager;

// Network managers for one worker thread, so that it can stream more jobs at once than Qt
// allows connections per host on one manager (six for HTTP/1.1). A stream takes the least
// busy manager with its profile's proxy and a free connection, or a new one; managers stay
// for reuse, so their keep-alive and TLS sessions serve the next jobs. Lives in, and is used
// from, one thread.
class NetworkPool : public QObject
{
    Q_OBJECT

public:
    // Qt's QHttpNetworkConnection opens at most six connections per host and port.
    static constexpr int kStreamsPerManager = 6;

    explicit NetworkPool(QObject *parent = nullptr);

    // A manager whose proxy is `proxy` (the application's default when left as it is).
    QNetworkAccessManager *acquire(const ProxySettings &proxy = {});
    void release(QNetworkAccessManager *manager);

    int managerCount() const;

    // The QNetworkProxy for `proxy`, credentials included. `System` gives DefaultProxy: the
    // application-wide setting, which leaves loopback hosts unproxied.
    static QNetworkProxy networkProxy(const ProxySettings &proxy);

private:
    struct Entry
    {
        QNetworkAccessManager *manager = nullptr;
        ProxySettings proxy;
        int streams = 0;
    };

    QList<Entry> m_entries;
};
