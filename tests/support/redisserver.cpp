#include "tests/support/redisserver.h"

#include <QDir>
#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#ifdef Q_OS_LINUX
#  include <csignal>

#  include <sys/prctl.h>
#endif

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

quint16 freeLoopbackPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0)) {
        return 0;
    }
    return server.serverPort();
}

bool runTool(const QString &program,
             const QStringList &arguments,
             const QString &dir,
             QString *error)
{
    QProcess process;
    process.setWorkingDirectory(dir);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(60'000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        *error = u"%1 %2 failed: %3"_s.arg(program,
                                           arguments.join(u' '),
                                           QString::fromLocal8Bit(process.readAll()));
        return false;
    }
    return true;
}

} // namespace

void spinEventLoop(std::chrono::milliseconds span)
{
    QEventLoop loop;
    QTimer::singleShot(span, &loop, &QEventLoop::quit);
    loop.exec();
}

RedisServer::RedisServer(RedisServerOptions options)
    : m_options(std::move(options))
{}

RedisServer::~RedisServer()
{
    stop();
}

bool RedisServer::start()
{
    if (isRunning()) {
        return true;
    }
    const QString program = QStandardPaths::findExecutable(u"redis-server"_s);
    if (program.isEmpty()) {
        m_error = u"redis-server is not on PATH"_s;
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = u"cannot make a temporary directory"_s;
        return false;
    }
    if (m_options.tls && !QFile::exists(caFile()) && !makeCertificates()) {
        return false;
    }
    if (m_port == 0) {
        m_port = freeLoopbackPort();
    }

    // A config file rather than arguments: ACL lines may hold passwords with spaces.
    const auto quoted = [](const QString &text) -> QString {
        QString escaped = text;
        escaped.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
        return u'"' + escaped + u'"';
    };
    QStringList lines{
            u"bind 127.0.0.1"_s,
            u"dir "_s + quoted(m_dir.path()),
            u"save \"\""_s,
            u"daemonize no"_s,
            u"logfile "_s + quoted(m_dir.filePath(u"redis.log"_s)),
            u"appendonly "_s + (m_options.appendOnly ? u"yes"_s : u"no"_s),
            u"appendfsync always"_s,
    };
    const QString portText = QString::number(m_port);
    if (m_options.tls) {
        lines << u"port 0"_s << u"tls-port "_s + portText
              << u"tls-cert-file "_s + quoted(m_dir.filePath(u"server.crt"_s))
              << u"tls-key-file "_s + quoted(m_dir.filePath(u"server.key"_s))
              << u"tls-ca-cert-file "_s + quoted(caFile()) << u"tls-auth-clients no"_s;
    } else {
        lines << u"port "_s + portText;
    }
    if (!m_options.user.isEmpty()) {
        lines << u"user "_s + m_options.user + u" on "_s + quoted(u'>' + m_options.password)
                         + u" ~* &* +@all"_s
              << u"user default off"_s;
    } else if (!m_options.password.isEmpty()) {
        lines << u"requirepass "_s + quoted(m_options.password);
    }
    QFile config(m_dir.filePath(u"redis.conf"_s));
    if (!config.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_error = u"cannot write redis.conf"_s;
        return false;
    }
    config.write(lines.join(u'\n').toUtf8() + '\n');
    config.close();
    const QStringList arguments{config.fileName()};

    m_process = std::make_unique<QProcess>();
#ifdef Q_OS_LINUX
    // The server dies with the test, even when the test crashes.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
#endif
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process->setStandardOutputFile(QProcess::nullDevice());
    m_process->start(program, arguments);
    if (!m_process->waitForStarted(10'000)) {
        m_error = u"cannot start redis-server: "_s + m_process->errorString();
        m_process.reset();
        return false;
    }
    if (!waitForPing(15s)) {
        QFile log(m_dir.filePath(u"redis.log"_s));
        log.open(QIODevice::ReadOnly);
        m_error = u"redis-server on port %1 did not answer PING; its log:\n%2"_s.arg(
                portText,
                QString::fromLocal8Bit(log.readAll().right(4000)));
        kill();
        return false;
    }
    return true;
}

void RedisServer::stop()
{
    if (!m_process) {
        return;
    }
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(10'000)) {
            m_process->kill();
            m_process->waitForFinished(10'000);
        }
    }
    m_process.reset();
}

void RedisServer::kill()
{
    if (!m_process) {
        return;
    }
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(10'000);
    }
    m_process.reset();
}

bool RedisServer::restart()
{
    stop();
    return start();
}

bool RedisServer::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QString RedisServer::url() const
{
    return urlWith(m_options.user, m_options.password);
}

QString RedisServer::urlWith(const QString &user, const QString &password) const
{
    QUrl url;
    url.setScheme(m_options.tls ? u"rediss"_s : u"redis"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(m_port);
    url.setPath(u"/0"_s);
    if (!password.isEmpty()) {
        url.setUserName(user);
        url.setPassword(password);
    }
    QString text = url.toString(QUrl::FullyEncoded);
    if (m_options.tls) {
        text += u"?ca="_s + QString::fromLatin1(QUrl::toPercentEncoding(caFile()));
    }
    return text;
}

QString RedisServer::caFile() const
{
    return m_dir.filePath(u"ca.crt"_s);
}

QString RedisServer::otherCaFile() const
{
    return m_dir.filePath(u"other-ca.crt"_s);
}

bool RedisServer::makeCertificates()
{
    const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
    if (openssl.isEmpty()) {
        m_error = u"openssl is not on PATH"_s;
        return false;
    }
    const QString dir = m_dir.path();
    QFile extensions(m_dir.filePath(u"server.ext"_s));
    if (!extensions.open(QIODevice::WriteOnly)) {
        m_error = u"cannot write server.ext"_s;
        return false;
    }
    extensions.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    extensions.close();

    const QStringList ecKey{u"-newkey"_s,
                            u"ec"_s,
                            u"-pkeyopt"_s,
                            u"ec_paramgen_curve:prime256v1"_s,
                            u"-nodes"_s};
    const QStringList steps[] = {
            QStringList{u"req"_s, u"-x509"_s} + ecKey
                    + QStringList{u"-keyout"_s,
                                  u"ca.key"_s,
                                  u"-out"_s,
                                  u"ca.crt"_s,
                                  u"-days"_s,
                                  u"2"_s,
                                  u"-subj"_s,
                                  u"/CN=ChatQueue Test CA"_s},
            QStringList{u"req"_s, u"-x509"_s} + ecKey
                    + QStringList{u"-keyout"_s,
                                  u"other-ca.key"_s,
                                  u"-out"_s,
                                  u"other-ca.crt"_s,
                                  u"-days"_s,
                                  u"2"_s,
                                  u"-subj"_s,
                                  u"/CN=Some Other CA"_s},
            QStringList{u"req"_s} + ecKey
                    + QStringList{u"-keyout"_s,
                                  u"server.key"_s,
                                  u"-out"_s,
                                  u"server.csr"_s,
                                  u"-subj"_s,
                                  u"/CN=localhost"_s},
            QStringList{u"x509"_s,
                        u"-req"_s,
                        u"-in"_s,
                        u"server.csr"_s,
                        u"-CA"_s,
                        u"ca.crt"_s,
                        u"-CAkey"_s,
                        u"ca.key"_s,
                        u"-CAcreateserial"_s,
                        u"-out"_s,
                        u"server.crt"_s,
                        u"-days"_s,
                        u"2"_s,
                        u"-extfile"_s,
                        u"server.ext"_s},
    };
    for (const QStringList &arguments : steps) {
        if (!runTool(openssl, arguments, dir, &m_error)) {
            return false;
        }
    }
    return true;
}

bool RedisServer::waitForPing(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!m_process || m_process->state() != QProcess::Running) {
            return false;
        }

        // A blocking exchange is fine here: this is the test's own thread, before any test
        // code runs. NOAUTH also proves the server answers.
        QSslSocket socket;
        if (m_options.tls) {
            QSslConfiguration config = QSslConfiguration::defaultConfiguration();
            config.setCaCertificates(QSslCertificate::fromPath(caFile()));
            socket.setSslConfiguration(config);
            socket.connectToHostEncrypted(u"127.0.0.1"_s, m_port);
            socket.waitForEncrypted(1000);
        } else {
            socket.connectToHost(u"127.0.0.1"_s, m_port);
            socket.waitForConnected(1000);
        }
        if (socket.state() == QAbstractSocket::ConnectedState
            && (!m_options.tls || socket.isEncrypted())) {
            socket.write("PING\r\n");
            QByteArray answer;
            while (!answer.contains('\n') && socket.waitForReadyRead(1000)) {
                answer += socket.readAll();
            }
            if (answer.startsWith("+PONG") || answer.startsWith("-NOAUTH")) {
                return true;
            }
        }
        m_process->waitForFinished(20);
    }
    return false;
}
