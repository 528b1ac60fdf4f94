#pragma once

#include <QList>
#include <QObject>

class QNetworkAccessManager;

// Network managers for one worker thread, so that it can stream more jobs at once than Qt
// allows connections per host on one manager (six for HTTP/1.1). A stream takes the least
// busy manager with a free connection, or a new one; managers stay for reuse, so their
// keep-alive and TLS sessions serve the next jobs. Lives in, and is used from, one thread.
class NetworkPool : public QObject
{
    Q_OBJECT

public:
    // Qt's QHttpNetworkConnection opens at most six connections per host and port.
    static constexpr int kStreamsPerManager = 6;

    explicit NetworkPool(QObject *parent = nullptr);

    QNetworkAccessManager *acquire();
    void release(QNetworkAccessManager *manager);

    int managerCount() const;

private:
    struct Entry
    {
        QNetworkAccessManager *manager = nullptr;
        int streams = 0;
    };

    QList<Entry> m_entries;
};
