#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

class QTcpServer;
class QTcpSocket;

// A SOCKS5 proxy for tests (RFC 1928 CONNECT with RFC 1929 user/password login) on
// 127.0.0.1 with a free port, living in the thread that creates it. It forwards only to
// loopback addresses and refuses every other destination, so a test can prove that traffic
// went through it without anything leaving the machine.
//
//     Socks5Proxy proxy(u"user"_s, u"secret"_s);
//     profile.proxy = {ProxySettings::Type::Socks5, u"127.0.0.1"_s, proxy.port(), …};
//     … run the client …
//     EXPECT_EQ(proxy.tunnelCount(), 1);
class Socks5Proxy : public QObject
{
    Q_OBJECT

public:
    // Requires this login when `user` is not empty; accepts clients without one otherwise.
    Socks5Proxy(QString user, QString password, QObject *parent = nullptr);
    ~Socks5Proxy() override;

    quint16 port() const;

    // Connections accepted, logins refused, and tunnels opened to a destination.
    int connectionCount() const { return m_connections; }

    int refusedLogins() const { return m_refusedLogins; }

    int tunnelCount() const { return m_tunnels; }

private:
    class Session;
    friend class Session;

    void onNewConnection();

    QString m_user;
    QString m_password;
    QTcpServer *m_server = nullptr;
    int m_connections = 0;
    int m_refusedLogins = 0;
    int m_tunnels = 0;
};
