#pragma once

#include <QObject>
#include <QString>

class QTcpServer;

// A plain HTTP proxy for tests (absolute-URI requests, no CONNECT) on 127.0.0.1 with a free
// port, living in the thread that creates it. It asks for a Basic login with a 407, forwards
// each request to its loopback destination and refuses every other destination, so a test
// can prove that plain-HTTP traffic went through it.
class HttpProxy : public QObject
{
    Q_OBJECT

public:
    HttpProxy(QString user, QString password, QObject *parent = nullptr);
    ~HttpProxy() override;

    quint16 port() const;

    // Requests forwarded, and requests that came with a wrong login.
    int forwardedCount() const { return m_forwarded; }

    int refusedLogins() const { return m_refusedLogins; }

private:
    class Session;
    friend class Session;

    void onNewConnection();

    QString m_user;
    QString m_password;
    QTcpServer *m_server = nullptr;
    int m_forwarded = 0;
    int m_refusedLogins = 0;
};
