#include "tests/support/httpproxy.h"

#include <gtest/gtest.h>

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

namespace {

// A request head of the tests is a few hundred bytes.
constexpr qsizetype kMaxHead = 64 * 1024;

} // namespace

// One client connection: the request head is checked and rewritten, then bytes are copied
// both ways until either side closes.
class HttpProxy::Session : public QObject
{
public:
    Session(HttpProxy *proxy, QTcpSocket *client)
        : QObject(proxy)
        , m_proxy(proxy)
        , m_client(client)
    {
        m_client->setParent(this);
        connect(m_client, &QTcpSocket::readyRead, this, &Session::onClientData);
        connect(m_client, &QTcpSocket::disconnected, this, &Session::close);
    }

private:
    void onClientData()
    {
        if (m_target) {
            m_pending.append(m_client->readAll());
            if (m_target->state() == QAbstractSocket::ConnectedState) {
                m_target->write(std::exchange(m_pending, {}));
            }
            return;
        }
        m_pending.append(m_client->readAll());
        const qsizetype headEnd = m_pending.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            if (m_pending.size() > kMaxHead) {
                close();
            }
            return;
        }
        handleHead(m_pending.left(headEnd), m_pending.mid(headEnd + 4));
    }

    void handleHead(const QByteArray &head, const QByteArray &rest)
    {
        QList<QByteArray> lines = head.split('\n');
        for (QByteArray &line : lines) {
            line = line.trimmed();
        }
        const QList<QByteArray> requestLine = lines.value(0).split(' ');
        const QUrl url(QString::fromLatin1(requestLine.value(1)));

        QByteArray login;
        QList<QByteArray> kept;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray lower = lines.at(i).toLower();
            if (lower.startsWith("proxy-authorization:")) {
                login = lines.at(i).mid(lines.at(i).indexOf(':') + 1).trimmed();
            } else if (!lower.startsWith("proxy-connection:")) {
                kept.append(lines.at(i));
            }
        }

        const QByteArray expected =
                "Basic " + (m_proxy->m_user + u':' + m_proxy->m_password).toUtf8().toBase64();
        if (login != expected) {
            m_proxy->m_refusedLogins += login.isEmpty() ? 0 : 1;
            m_client->write("HTTP/1.1 407 Proxy Authentication Required\r\n"
                            "Proxy-Authenticate: Basic realm=\"chatqueue-test\"\r\n"
                            "Content-Length: 0\r\nConnection: close\r\n\r\n");
            m_client->disconnectFromHost();
            return;
        }

        const QHostAddress target(url.host());
        if (url.scheme() != u"http" || target.isNull() || !target.isLoopback()) {
            m_client->write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
                            "Connection: close\r\n\r\n");
            m_client->disconnectFromHost();
            return;
        }

        ++m_proxy->m_forwarded;
        const QByteArray path =
                url.path(QUrl::FullyEncoded).toLatin1()
                + (url.hasQuery() ? '?' + url.query(QUrl::FullyEncoded).toLatin1() : QByteArray());
        m_pending = requestLine.value(0) + ' ' + path + ' ' + requestLine.value(2) + "\r\n"
                    + kept.join("\r\n") + "\r\n\r\n" + rest;
        m_target = new QTcpSocket(this);
        connect(m_target, &QTcpSocket::connected, this, [this] {
            m_target->write(std::exchange(m_pending, {}));
        });
        connect(m_target, &QTcpSocket::readyRead, this, [this] {
            m_client->write(m_target->readAll());
        });
        connect(m_target, &QTcpSocket::disconnected, this, [this] {
            m_client->disconnectFromHost();
        });
        m_target->connectToHost(target, quint16(url.port(80)));
    }

    void close()
    {
        if (m_target) {
            m_target->disconnect(this);
            m_target->close();
        }
        m_client->disconnect(this);
        deleteLater();
    }

    HttpProxy *m_proxy;
    QTcpSocket *m_client;
    QTcpSocket *m_target = nullptr;
    QByteArray m_pending;
};

HttpProxy::HttpProxy(QString user, QString password, QObject *parent)
    : QObject(parent)
    , m_user(std::move(user))
    , m_password(std::move(password))
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &HttpProxy::onNewConnection);
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        ADD_FAILURE() << "the HTTP proxy cannot listen: " << m_server->errorString().toStdString();
    }
}

HttpProxy::~HttpProxy() = default;

quint16 HttpProxy::port() const
{
    return m_server->serverPort();
}

void HttpProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server->nextPendingConnection()) {
        new Session(this, client);
    }
}
