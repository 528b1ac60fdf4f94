#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <optional>
#include <utility>

class QTcpServer;
class QTcpSocket;

// A fake OpenAI-compatible provider for tests: an HTTP/1.1 server on 127.0.0.1 with a free
// port, living in the thread that creates it (the test's main thread; run its event loop
// with QCoro::waitFor or a QEventLoop while a client talks to it).
//
//     FakeProvider provider;                                  // listens at once
//     provider.setDefaultScenario(FakeProvider::Scenario::fixture(u"openai-…-usage.sse"_s));
//     provider.enqueue(FakeProvider::Scenario::error(500));  // the next request only
//     profile.baseUrl = provider.baseUrl();                  // http://127.0.0.1:PORT/v1
//     … run the client …
//     EXPECT_EQ(provider.requestCount(), 2);
//     EXPECT_EQ(provider.requests().first().json[u"stream"_s], true);
//
// Every request is answered by the next scenario of the FIFO queue, or by the default
// scenario when the queue is empty (the default default: a short content stream). Bodies
// are sent with `Transfer-Encoding: chunked`, each write as one HTTP chunk, and every
// response carries `Connection: close`. A scenario that drops the connection declares the
// full `Content-Length` instead, so that the cut is visible to the client: Qt 6.4 takes a
// close in the middle of a chunked body, right after a chunk, for its end.
//
// GET {base}/models answers a model list (setModels) unless a scenario is queued.
//
// The same server runs as a process, for end-to-end tests of the executables and benchmarks:
//     chatqueue_fake_provider [--fixture NAME | --content TEXT [--reasoning TEXT]
//         [--chunk-chars N] | --html] [--status CODE] [--retry-after S] [--chunk-bytes N]
//         [--chunk-delay-ms MS] [--headers-delay-ms MS] [--stall-after N] [--drop-after N]
//         [--port N] [--verbose]
// It prints its port as the first line of stdout and serves until it is terminated.
class FakeProvider : public QObject
{
    Q_OBJECT

public:
    // What to answer one request with. Build one with a factory, then adjust it with the
    // chained setters:
    //     Scenario::fixture(u"openai-gpt4o-text-include-usage.sse"_s).inChunks(16, 20ms)
    struct Scenario
    {
        int status = 200;
        QByteArray contentType = "text/event-stream";
        QList<std::pair<QByteArray, QByteArray>> headers; // extra response headers
        QByteArray body;

        // 0: the whole body in one write; otherwise writes of this many bytes.
        qsizetype chunkBytes = 0;
        std::chrono::milliseconds chunkDelay {0};   // pause between two writes
        std::chrono::milliseconds headersDelay {0}; // pause before the status line

        // After this many body bytes: stop sending and keep the connection open until the
        // client closes it (stall), or close it (drop; about 20 ms later, so that the bytes
        // arrive first).
        std::optional<qsizetype> stallAfterBytes;
        std::optional<qsizetype> dropAfterBytes;

        // Send `Content-Length` instead of chunked framing (the body goes out the same way).
        bool contentLength = false;

        // A recorded stream from tests/fixtures/sse (name with extension), served as
        // text/event-stream. An unknown name fails the test at once.
        static Scenario fixture(const QString &fileName);

        // An event stream with these bytes as its body.
        static Scenario stream(QByteArray sseBody);

        // Any status, content type and body.
        static Scenario raw(int status, QByteArray body,
                            QByteArray contentType = "application/json");

        // An error answer whose body is a fixture file (e.g. openai-401-invalid-api-key.json).
        static Scenario errorFixture(int status, const QString &fileName);

        // An error answer with a small OpenAI-style JSON body {"error": {"message": …}}.
        static Scenario error(int status, const QString &message = {});

        // 429 with `Retry-After: <seconds>` and the openrouter-429 fixture as body.
        static Scenario rateLimited(int retryAfterSeconds);

        // 200 with a text/html page, as a captive portal or a misconfigured proxy sends.
        static Scenario htmlPage();

        Scenario &inChunks(qsizetype bytes, std::chrono::milliseconds delay);
        Scenario &withDelayBeforeHeaders(std::chrono::milliseconds delay);
        Scenario &stallAfter(qsizetype bytes);
        Scenario &dropAfter(qsizetype bytes);
        Scenario &withHeader(QByteArray name, QByteArray value);
        Scenario &withContentType(QByteArray contentType);
        Scenario &withContentLength();
    };

    // One request as the fake provider received it. Header names are lower case.
    struct Request
    {
        QByteArray method;
        QString path; // with the query, e.g. "/v1/chat/completions?api-version=2024-10-21"
        QHash<QByteArray, QByteArray> headers;
        QByteArray body;
        QJsonObject json; // the body parsed as a JSON object; empty when it is not one

        QByteArray header(const QByteArray &name) const;
        bool hasHeader(const QByteArray &name) const;
    };

    // Listens on 127.0.0.1:`port`, a free port when 0. Fails the running test when it cannot.
    explicit FakeProvider(QObject *parent = nullptr, quint16 port = 0);
    ~FakeProvider() override;

    // http://127.0.0.1:PORT/v1
    QUrl baseUrl() const;
    quint16 port() const;

    void setDefaultScenario(Scenario scenario);
    void enqueue(Scenario scenario);
    void setModels(QStringList models);

    // Answers every chat request whose body names `model` with `scenario`, unless a queued
    // scenario comes first: one run can then mix answers and failures by request.
    void setModelScenario(const QString &model, Scenario scenario);

    // The requests received so far, oldest first, and how many there were.
    QList<Request> requests() const { return m_requests; }
    int requestCount() const { return m_requestCount; }
    void clearRequests() { m_requests.clear(); }

    // Whether requests() keeps each request (default true). Long benchmark runs turn it
    // off; requestCount() counts either way.
    void setRecordRequests(bool record) { m_recordRequests = record; }

    // Responses being sent right now, and the most there ever were at once.
    int openStreams() const { return m_openStreams; }
    int maxConcurrentStreams() const { return m_maxConcurrentStreams; }

    // Responses whose client closed the connection before the response was complete.
    int clientDisconnects() const { return m_clientDisconnects; }

    // Generated event streams in the shape of a real provider: a role chunk, the text in
    // pieces of `chunkChars` characters, a finish chunk ("stop"), a usage chunk with empty
    // choices, and [DONE]. reasoningThenContent sends `reasoning_content` first (DeepSeek R1).
    static QByteArray contentStream(const QString &content, int chunkChars = 8);
    static QByteArray reasoningThenContent(const QString &reasoning, const QString &content,
                                           int chunkChars = 8);

    // The same, as scenarios.
    static Scenario contentScenario(const QString &content, int chunkChars = 8);
    static Scenario reasoningScenario(const QString &reasoning, const QString &content,
                                      int chunkChars = 8);

Q_SIGNALS:
    // A request was read in full and recorded.
    void requestReceived();

    // A response ended: sent in full, dropped, or closed by the client.
    void streamClosed();

private:
    class Connection;
    friend class Connection;

    void onNewConnection();
    Scenario takeScenario(const Request &request);
    void streamOpened();
    void streamEnded(bool byClient);

    QTcpServer *m_server = nullptr;
    Scenario m_default;
    QQueue<Scenario> m_queue;
    QStringList m_models;
    QHash<QString, Scenario> m_modelScenarios;
    QList<Request> m_requests;
    int m_requestCount = 0;
    bool m_recordRequests = true;
    int m_openStreams = 0;
    int m_maxConcurrentStreams = 0;
    int m_clientDisconnects = 0;
};
