#include "tests/support/socks5proxy.h"

#include <gtest/gtest.h>

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

#include <initializer_list>

namespace {

constexpr char kVersion = 0x05;
constexpr char kNoLogin = 0x00;
constexpr char kUserPassword = 0x02;
constexpr char kNoAcceptableMethod = char(0xFF);
constexpr char kConnect = 0x01;
constexpr char kIpv4 = 0x01;
constexpr char kDomainName = 0x03;
constexpr char kIpv6 = 0x04;
constexpr char kSucceeded = 0x00;
constexpr char kNotAllowed = 0x02;
constexpr char kHostUnreachable = 0x04;

// A handshake message is a few hundred bytes at most.
constexpr qsizetype kMaxHandshake = 1024;

QByteArray bytes(std::initializer_list<char> values)
{
    return QByteArray(values.begin(), qsizetype(values.size()));
}

} // namespace

// One client connection: the handshake, then bytes copied both ways.
class Socks5Proxy::Session : public QObject
{
public:
    Session(Socks5Proxy *proxy, QTcpSocket *client)
        : QObject(proxy)
        , m_proxy(proxy)
        , m_client(client)
    {
        m_client->setParent(this);
        connect(m_client, &QTcpSocket::readyRead, this, &Session::onClientData);
        connect(m_client, &QTcpSocket::disconnected, this, &Session::close);
    }

private:
    enum class State {
        Greeting,
        Login,
        Request,
        Connecting,
        Tunnel,
    };

    void onClientData()
    {
        if (m_state == State::Tunnel) {
            m_target->write(m_client->readAll());
            return;
        }
        m_buffer.append(m_client->readAll());
        if (m_buffer.size() > kMaxHandshake) {
            close();
            return;
        }

        bool progressed = true;
        while (progressed && m_client) {
            progressed = false;
            switch (m_state) {
            case State::Greeting:
                progressed = readGreeting();
                break;
            case State::Login:
                progressed = readLogin();
                break;
            case State::Request:
                progressed = readRequest();
                break;
            case State::Connecting:
            case State::Tunnel:
                return;
            }
        }
    }

    // VER NMETHODS METHODS…
    bool readGreeting()
    {
        if (m_buffer.size() < 2 || m_buffer.size() < 2 + quint8(m_buffer.at(1))) {
            return false;
        }
        const QByteArray methods = m_buffer.mid(2, quint8(m_buffer.at(1)));
        const bool versionOk = m_buffer.at(0) == kVersion;
        m_buffer.remove(0, 2 + methods.size());

        const bool wantsLogin = !m_proxy->m_user.isEmpty();
        const char method = wantsLogin ? kUserPassword : kNoLogin;
        if (!versionOk || !methods.contains(method)) {
            m_client->write(bytes({kVersion, kNoAcceptableMethod}));
            finishAndClose();
            return false;
        }
        m_client->write(bytes({kVersion, method}));
        m_state = wantsLogin ? State::Login : State::Request;
        return true;
    }

    // VER(1) ULEN UNAME PLEN PASSWD
    bool readLogin()
    {
        if (m_buffer.size() < 2) {
            return false;
        }
        const int userLength = quint8(m_buffer.at(1));
        if (m_buffer.size() < 3 + userLength) {
            return false;
        }
        const int passwordLength = quint8(m_buffer.at(2 + userLength));
        if (m_buffer.size() < 3 + userLength + passwordLength) {
            return false;
        }
        const QString user = QString::fromUtf8(m_buffer.mid(2, userLength));
        const QString password = QString::fromUtf8(m_buffer.mid(3 + userLength, passwordLength));
        m_buffer.remove(0, 3 + userLength + passwordLength);

        if (user != m_proxy->m_user || password != m_proxy->m_password) {
            ++m_proxy->m_refusedLogins;
            m_client->write(bytes({0x01, 0x01}));
            finishAndClose();
            return false;
        }
        m_client->write(bytes({0x01, 0x00}));
        m_state = State::Request;
        return true;
    }

    // VER CMD RSV ATYP DST.ADDR DST.PORT
    bool readRequest()
    {
        if (m_buffer.size() < 5) {
            return false;
        }
        const char type = m_buffer.at(3);
        qsizetype addressLength = 0;
        qsizetype addressStart = 4;
        if (type == kIpv4) {
            addressLength = 4;
        } else if (type == kIpv6) {
            addressLength = 16;
        } else if (type == kDomainName) {
            addressLength = quint8(m_buffer.at(4));
            addressStart = 5;
        }
        if (m_buffer.size() < addressStart + addressLength + 2) {
            return false;
        }
        const QByteArray address = m_buffer.mid(addressStart, addressLength);
        const quint16 port = quint16((quint8(m_buffer.at(addressStart + addressLength)) << 8)
                                     | quint8(m_buffer.at(addressStart + addressLength + 1)));
        const bool isConnect = m_buffer.at(1) == kConnect;
        m_buffer.remove(0, addressStart + addressLength + 2);

        // Loopback only: the tests may reach nothing else.
        QHostAddress target;
        if (type == kIpv4 && address.size() == 4) {
            target = QHostAddress((quint8(address.at(0)) << 24) | (quint8(address.at(1)) << 16)
                                  | (quint8(address.at(2)) << 8) | quint8(address.at(3)));
        } else if (type == kDomainName && (address == "localhost" || address == "127.0.0.1")) {
            target = QHostAddress(QHostAddress::LocalHost);
        } else if (type == kIpv6 && address.size() == 16) {
            target = QHostAddress(reinterpret_cast<const quint8 *>(address.constData()));
        }
        if (!isConnect || target.isNull() || !target.isLoopback()) {
            reply(kNotAllowed);
            finishAndClose();
            return false;
        }

        m_state = State::Connecting;
        m_target = new QTcpSocket(this);
        connect(m_target, &QTcpSocket::connected, this, [this] {
            ++m_proxy->m_tunnels;
            m_state = State::Tunnel;
            reply(kSucceeded);
            if (!m_buffer.isEmpty()) {
                m_target->write(std::exchange(m_buffer, {}));
            }
        });
        connect(m_target, &QTcpSocket::readyRead, this, [this] {
            if (m_client) {
                m_client->write(m_target->readAll());
            }
        });
        connect(m_target, &QTcpSocket::errorOccurred, this, [this] {
            if (m_state == State::Connecting) {
                reply(kHostUnreachable);
            }
            finishAndClose();
        });
        m_target->connectToHost(target, port);
        return false;
    }

    void reply(char status)
    {
        m_client->write(bytes({kVersion, status, 0x00, kIpv4, 0, 0, 0, 0, 0, 0}));
    }

    // Lets written bytes leave before the connection goes.
    void finishAndClose()
    {
        if (m_client) {
            m_client->flush();
            m_client->disconnectFromHost();
        }
        if (m_target) {
            m_target->disconnectFromHost();
        }
    }

    void close()
    {
        if (m_target) {
            m_target->disconnect(this);
            m_target->close();
        }
        if (m_client) {
            m_client->disconnect(this);
        }
        deleteLater();
    }

    Socks5Proxy *m_proxy;
    QTcpSocket *m_client;
    QTcpSocket *m_target = nullptr;
    QByteArray m_buffer;
    State m_state = State::Greeting;
};

Socks5Proxy::Socks5Proxy(QString user, QString password, QObject *parent)
    : QObject(parent)
    , m_user(std::move(user))
    , m_password(std::move(password))
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &Socks5Proxy::onNewConnection);
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        ADD_FAILURE() << "the SOCKS5 proxy cannot listen: "
                      << m_server->errorString().toStdString();
    }
}

Socks5Proxy::~Socks5Proxy() = default;

quint16 Socks5Proxy::port() const
{
    return m_server->serverPort();
}

void Socks5Proxy::onNewConnection()
{
    while (QTcpSocket *client = m_server->nextPendingConnection()) {
        ++m_connections;
        new Session(this, client);
    }
}
