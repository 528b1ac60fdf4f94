#include "tests/support/fakeprovider.h"

#include "tests/support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace {

// Requests of the tests are small; anything larger is a bug in the test or the client.
constexpr qsizetype kMaxRequestSize = 16 * 1024 * 1024;

constexpr std::chrono::milliseconds kDropGrace {20};

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 402:
        return "Payment Required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

QByteArray sseEvent(const QJsonObject &object)
{
    return "data: " + QJsonDocument(object).toJson(QJsonDocument::Compact) + "\n\n";
}

QJsonObject chunkObject(const QJsonArray &choices)
{
    return QJsonObject {
        {u"id"_s, u"chatcmpl-fake"_s},
        {u"object"_s, u"chat.completion.chunk"_s},
        {u"created"_s, 1700000000},
        {u"model"_s, u"fake-model"_s},
        {u"choices"_s, choices},
    };
}

QByteArray deltaEvent(const QJsonObject &delta, const QJsonValue &finishReason = QJsonValue::Null)
{
    return sseEvent(chunkObject(QJsonArray {QJsonObject {
            {u"index"_s, 0},
            {u"delta"_s, delta},
            {u"finish_reason"_s, finishReason},
    }}));
}

// Pieces of at most `size` characters, never splitting a surrogate pair.
QStringList pieces(const QString &text, int size)
{
    QStringList result;
    const int step = std::max(size, 1);
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = std::min(start + step, text.size());
        if (end < text.size() && text.at(end).isLowSurrogate()) {
            ++end;
        }
        result.append(text.mid(start, end - start));
        start = end;
    }
    return result;
}

QByteArray generatedStream(const QString &reasoning, const QString &content, int chunkChars)
{
    QByteArray body = deltaEvent({{u"role"_s, u"assistant"_s}, {u"content"_s, u""_s}});
    int completionTokens = 0;
    for (const QString &piece : pieces(reasoning, chunkChars)) {
        body += deltaEvent({{u"reasoning_content"_s, piece}, {u"content"_s, QJsonValue::Null}});
        ++completionTokens;
    }
    for (const QString &piece : pieces(content, chunkChars)) {
        body += deltaEvent({{u"content"_s, piece}});
        ++completionTokens;
    }
    body += deltaEvent(QJsonObject {}, u"stop"_s);

    QJsonObject usageChunk = chunkObject(QJsonArray {});
    usageChunk.insert(u"usage"_s, QJsonObject {
                                          {u"prompt_tokens"_s, 12},
                                          {u"completion_tokens"_s, completionTokens},
                                          {u"total_tokens"_s, 12 + completionTokens},
                                  });
    body += sseEvent(usageChunk);
    body += "data: [DONE]\n\n";
    return body;
}

} // namespace

// One accepted connection: reads one request, answers it with a scenario, then closes.
class FakeProvider::Connection : public QObject
{
public:
    Connection(FakeProvider *provider, QTcpSocket *socket)
        : QObject(provider)
        , m_provider(provider)
        , m_socket(socket)
    {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
        connect(socket, &QTcpSocket::disconnected, this, [this] { onDisconnected(); });
        onReadyRead();
    }

    ~Connection() override
    {
        // The socket, a child, outlives this part of the object; it must not call back.
        m_socket->disconnect(this);
    }

private:
    void onReadyRead()
    {
        if (m_requestDone) {
            m_socket->readAll();
            return;
        }
        m_buffer += m_socket->readAll();
        if (m_buffer.size() > kMaxRequestSize) {
            m_socket->abort();
            return;
        }

        const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return;
        }
        const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
        QHash<QByteArray, QByteArray> headers;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.insert(lines[i].left(colon).trimmed().toLower(),
                               lines[i].mid(colon + 1).trimmed());
            }
        }
        const qsizetype bodyLength = headers.value("content-length", "0").toLongLong();
        if (m_buffer.size() < headEnd + 4 + bodyLength) {
            return;
        }

        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        Request request;
        request.method = requestLine.value(0);
        request.path = QString::fromUtf8(requestLine.value(1));
        request.headers = headers;
        request.body = m_buffer.mid(headEnd + 4, bodyLength);
        request.json = QJsonDocument::fromJson(request.body).object();
        m_requestDone = true;
        respond(request);
    }

    void respond(const Request &request)
    {
        m_scenario = m_provider->takeScenario(request);
        ++m_provider->m_requestCount;
        if (m_provider->m_recordRequests) {
            m_provider->m_requests.append(request);
        }
        m_provider->streamOpened();
        m_streamOpen = true;
        Q_EMIT m_provider->requestReceived();

        // A dropped body declares its full length, so that the client can tell it was cut:
        // Qt 6.4's HTTP client takes a connection closed in the middle of a chunked body,
        // soon after the last chunk it read, for the end of the body.
        if (m_scenario.dropAfterBytes) {
            m_scenario.contentLength = true;
        }

        // The body that will go out, shortened by a stall or a drop.
        m_pending = m_scenario.body;
        if (m_scenario.stallAfterBytes) {
            m_pending.truncate(*m_scenario.stallAfterBytes);
        }
        if (m_scenario.dropAfterBytes) {
            m_pending.truncate(*m_scenario.dropAfterBytes);
        }

        if (m_scenario.headersDelay.count() > 0) {
            QTimer::singleShot(m_scenario.headersDelay, this, [this] { writeHead(); });
        } else {
            writeHead();
        }
    }

    void writeHead()
    {
        if (!m_streamOpen) {
            return;
        }
        QByteArray head = "HTTP/1.1 " + QByteArray::number(m_scenario.status) + ' '
                + reasonPhrase(m_scenario.status) + "\r\n";
        if (!m_scenario.contentType.isEmpty()) {
            head += "Content-Type: " + m_scenario.contentType + "\r\n";
        }
        if (m_scenario.contentLength) {
            head += "Content-Length: " + QByteArray::number(m_scenario.body.size()) + "\r\n";
        } else {
            head += "Transfer-Encoding: chunked\r\n";
        }
        head += "Cache-Control: no-cache\r\nConnection: close\r\n";
        for (const auto &[name, value] : std::as_const(m_scenario.headers)) {
            head += name + ": " + value + "\r\n";
        }
        head += "\r\n";
        m_socket->write(head);
        writeNextPiece();
    }

    void writeNextPiece()
    {
        // Without a delay every piece goes out now, each as its own HTTP chunk.
        do {
            if (!m_streamOpen) {
                return;
            }
            if (!m_pending.isEmpty()) {
                writePiece();
            }
            if (m_pending.isEmpty()) {
                finishBody();
                return;
            }
        } while (m_scenario.chunkDelay.count() <= 0);

        QTimer::singleShot(m_scenario.chunkDelay, this, [this] { writeNextPiece(); });
    }

    void writePiece()
    {
        const qsizetype size = m_scenario.chunkBytes > 0 ? m_scenario.chunkBytes
                                                         : m_pending.size();
        const QByteArray piece = m_pending.left(size);
        m_pending.remove(0, piece.size());
        if (m_scenario.contentLength) {
            m_socket->write(piece);
        } else {
            m_socket->write(QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n");
        }
        m_socket->flush();
    }

    void finishBody()
    {
        // A stall keeps the connection open, silent, until the client gives up.
        if (m_scenario.stallAfterBytes) {
            return;
        }

        // A drop closes the connection before the declared Content-Length was sent. The
        // pause lets the last bytes reach the client before the close does.
        if (m_scenario.dropAfterBytes) {
            QTimer::singleShot(kDropGrace, this, [this] {
                endStream(false);
                m_socket->disconnectFromHost();
            });
            return;
        }

        if (!m_scenario.contentLength) {
            m_socket->write("0\r\n\r\n");
        }
        endStream(false);
        m_socket->disconnectFromHost();
    }

    void onDisconnected()
    {
        endStream(true);
        deleteLater();
    }

    void endStream(bool byClient)
    {
        if (!m_streamOpen) {
            return;
        }
        m_streamOpen = false;
        m_provider->streamEnded(byClient);
    }

    FakeProvider *m_provider;
    QTcpSocket *m_socket;
    QByteArray m_buffer;
    bool m_requestDone = false;
    bool m_streamOpen = false;
    Scenario m_scenario;
    QByteArray m_pending;
};

QByteArray FakeProvider::Request::header(const QByteArray &name) const
{
    return headers.value(name.toLower());
}

bool FakeProvider::Request::hasHeader(const QByteArray &name) const
{
    return headers.contains(name.toLower());
}

FakeProvider::Scenario FakeProvider::Scenario::fixture(const QString &fileName)
{
    Scenario scenario;
    scenario.body = fixtures::read(fileName);
    if (scenario.body.isEmpty()) {
        ADD_FAILURE() << "FakeProvider: no fixture named " << fileName.toStdString();
    }
    return scenario;
}

FakeProvider::Scenario FakeProvider::Scenario::stream(QByteArray sseBody)
{
    Scenario scenario;
    scenario.body = std::move(sseBody);
    return scenario;
}

FakeProvider::Scenario FakeProvider::Scenario::raw(int status, QByteArray body,
                                                   QByteArray contentType)
{
    Scenario scenario;
    scenario.status = status;
    scenario.body = std::move(body);
    scenario.contentType = std::move(contentType);
    return scenario;
}

FakeProvider::Scenario FakeProvider::Scenario::errorFixture(int status, const QString &fileName)
{
    Scenario scenario = fixture(fileName);
    scenario.status = status;
    scenario.contentType = "application/json";
    return scenario;
}

FakeProvider::Scenario FakeProvider::Scenario::error(int status, const QString &message)
{
    const QString text = message.isEmpty()
            ? u"The fake provider answered "_s + QString::number(status) + u'.'
            : message;
    const QJsonObject error {{u"error"_s, QJsonObject {
                                                  {u"message"_s, text},
                                                  {u"type"_s, u"fake_error"_s},
                                                  {u"code"_s, QJsonValue::Null},
                                          }}};
    return raw(status, QJsonDocument(error).toJson(QJsonDocument::Compact));
}

FakeProvider::Scenario FakeProvider::Scenario::rateLimited(int retryAfterSeconds)
{
    return errorFixture(429, u"openrouter-429-upstream-rate-limited.json"_s)
            .withHeader("Retry-After", QByteArray::number(retryAfterSeconds));
}

FakeProvider::Scenario FakeProvider::Scenario::htmlPage()
{
    return raw(200,
               "<!DOCTYPE html>\n<html><head><title>Sign in to the network</title></head>"
               "<body><p>Please accept the terms of use.</p></body></html>\n",
               "text/html; charset=utf-8");
}

FakeProvider::Scenario &FakeProvider::Scenario::inChunks(qsizetype bytes,
                                                         std::chrono::milliseconds delay)
{
    chunkBytes = bytes;
    chunkDelay = delay;
    return *this;
}

FakeProvider::Scenario &FakeProvider::Scenario::withDelayBeforeHeaders(
        std::chrono::milliseconds delay)
{
    headersDelay = delay;
    return *this;
}

FakeProvider::Scenario &FakeProvider::Scenario::stallAfter(qsizetype bytes)
{
    stallAfterBytes = bytes;
    return *this;
}

FakeProvider::Scenario &FakeProvider::Scenario::dropAfter(qsizetype bytes)
{
    dropAfterBytes = bytes;
    return *this;
}

FakeProvider::Scenario &FakeProvider::Scenario::withHeader(QByteArray name, QByteArray value)
{
    headers.append({std::move(name), std::move(value)});
    return *this;
}

FakeProvider::Scenario &FakeProvider::Scenario::withContentType(QByteArray type)
{
    contentType = std::move(type);
    return *this;
}

FakeProvider::Scenario &FakeProvider::Scenario::withContentLength()
{
    contentLength = true;
    return *this;
}

FakeProvider::FakeProvider(QObject *parent, quint16 port)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_default(contentScenario(u"Hello from the fake provider."_s))
    , m_models {u"fake-model"_s}
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeProvider::onNewConnection);
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        ADD_FAILURE() << "FakeProvider cannot listen: " << m_server->errorString().toStdString();
    }
}

FakeProvider::~FakeProvider() = default;

QUrl FakeProvider::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:"_s + QString::number(port()) + u"/v1"_s);
}

quint16 FakeProvider::port() const
{
    return m_server->serverPort();
}

void FakeProvider::setDefaultScenario(Scenario scenario)
{
    m_default = std::move(scenario);
}

void FakeProvider::enqueue(Scenario scenario)
{
    m_queue.enqueue(std::move(scenario));
}

void FakeProvider::setModelScenario(const QString &model, Scenario scenario)
{
    m_modelScenarios.insert(model, std::move(scenario));
}

void FakeProvider::setModels(QStringList models)
{
    m_models = std::move(models);
}

QByteArray FakeProvider::contentStream(const QString &content, int chunkChars)
{
    return generatedStream({}, content, chunkChars);
}

QByteArray FakeProvider::reasoningThenContent(const QString &reasoning, const QString &content,
                                              int chunkChars)
{
    return generatedStream(reasoning, content, chunkChars);
}

FakeProvider::Scenario FakeProvider::contentScenario(const QString &content, int chunkChars)
{
    return Scenario::stream(contentStream(content, chunkChars));
}

FakeProvider::Scenario FakeProvider::reasoningScenario(const QString &reasoning,
                                                       const QString &content, int chunkChars)
{
    return Scenario::stream(reasoningThenContent(reasoning, content, chunkChars));
}

void FakeProvider::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        new Connection(this, socket);
    }
}

FakeProvider::Scenario FakeProvider::takeScenario(const Request &request)
{
    if (!m_queue.isEmpty()) {
        return m_queue.dequeue();
    }
    const auto byModel = m_modelScenarios.constFind(request.json.value(u"model"_s).toString());
    if (byModel != m_modelScenarios.constEnd()) {
        return byModel.value();
    }

    if (request.method == "GET" && request.path.section(u'?', 0, 0).endsWith(u"/models"_s)) {
        QJsonArray data;
        for (const QString &model : std::as_const(m_models)) {
            data.append(QJsonObject {
                    {u"id"_s, model},
                    {u"object"_s, u"model"_s},
                    {u"created"_s, 1700000000},
                    {u"owned_by"_s, u"fake"_s},
            });
        }
        const QJsonObject list {{u"object"_s, u"list"_s}, {u"data"_s, data}};
        return Scenario::raw(200, QJsonDocument(list).toJson(QJsonDocument::Compact))
                .withContentLength();
    }
    return m_default;
}

void FakeProvider::streamOpened()
{
    ++m_openStreams;
    m_maxConcurrentStreams = std::max(m_maxConcurrentStreams, m_openStreams);
}

void FakeProvider::streamEnded(bool byClient)
{
    --m_openStreams;
    if (byClient) {
        ++m_clientDisconnects;
    }
    Q_EMIT streamClosed();
}
