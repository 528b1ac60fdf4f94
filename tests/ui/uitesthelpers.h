#pragma once

#include <QCoroTask>

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <chrono>
#include <optional>
#include <ostream>
#include <utility>

// GoogleTest prints QStrings as text instead of bytes.
inline void PrintTo(const QString &text, std::ostream *stream)
{
    *stream << '"' << text.toStdString() << '"';
}

// A loopback server that only counts who connects to it: it stands for any address that
// model output names (an image, a tracking pixel), so a test can prove nothing fetched it.
class HitCounter : public QObject
{
public:
    HitCounter()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                m_peerPorts.append(socket->peerPort());
                socket->close();
                socket->deleteLater();
            }
        });
    }

    bool isListening() const { return m_server.isListening(); }

    quint16 port() const { return m_server.serverPort(); }

    // Connections from anyone but settle()'s own probes.
    int hits() const
    {
        int hits = 0;
        for (quint16 port : m_peerPorts) {
            hits += m_probePorts.contains(port) ? 0 : 1;
        }
        return hits;
    }

    // Connects once itself and waits until that connection is accepted. Connections are
    // accepted in the order they were made, so any made earlier have been seen by then.
    bool settle()
    {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, port());
        if (!QTest::qWaitFor([&probe] { return probe.state() == QAbstractSocket::ConnectedState; },
                             5000)) {
            return false;
        }
        const quint16 probePort = probe.localPort();
        m_probePorts.append(probePort);
        return QTest::qWaitFor([this, probePort] { return m_peerPorts.contains(probePort); }, 5000);
    }

private:
    QTcpServer m_server;
    QList<quint16> m_peerPorts;
    QList<quint16> m_probePorts;
};

// How long a widget test waits for a streamed answer before it fails.
constexpr int kWaitMs = 20000;

// "word0 word1 …": an answer of `count` distinct words, long enough to stream for a while.
inline QString words(int count)
{
    QStringList list;
    for (int i = 0; i < count; ++i) {
        list.append(QStringLiteral("word%1").arg(i));
    }
    return list.join(u' ');
}

// Where tests leave artifacts such as screenshots: <build>/test-artifacts.
inline QString artifactPath(const QString &fileName)
{
    const QString dir = QStringLiteral(CHATQUEUE_BINARY_DIR "/test-artifacts");
    QDir().mkpath(dir);
    return dir + u'/' + fileName;
}

// Runs the event loop until `task` ends and returns its value. Unlike QCoro::waitFor it
// needs no default constructor, which Result<T, E> lacks. Fails the test on a timeout.
template <typename T>
T awaitTask(QCoro::Task<T> task, int timeoutMs = 30000)
{
    std::optional<T> result;
    QCoro::connect(std::move(task), QCoreApplication::instance(), [&result](T value) {
        result.emplace(std::move(value));
    });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, timeoutMs)) {
        qFatal("a task did not end in time");
    }
    return std::move(*result);
}
