// ChatStream over real HTTP on loopback, against the fake provider.

#include "core/provider/chatstream.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/fixtures.h"

#include <QCoroSignal>
#include <QCoroTask>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QTcpServer>

#include <gtest/gtest.h>

#include <functional>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// Readable values in failure messages.
void PrintTo(const QString &text, std::ostream *out)
{
    *out << '"' << text.toStdString() << '"';
}

void PrintTo(ErrorKind kind, std::ostream *out)
{
    *out << errorKindName(kind).toStdString();
}

namespace {

// Generous limits for tests that are not about timeouts, short backoff for those about
// retries: a failure shows as a wrong kind, not as a hung test.
ProviderProfile profileFor(const FakeProvider &provider)
{
    ProviderProfile profile;
    profile.name = u"fake"_s;
    profile.baseUrl = provider.baseUrl();
    profile.timeouts.connect = 5s;
    profile.timeouts.firstByte = 10s;
    profile.timeouts.idle = 10s;
    profile.timeouts.total = 60s;
    profile.retry.maxAttempts = 3;
    profile.retry.baseDelay = 10ms;
    profile.retry.maxDelay = 5s;
    return profile;
}

ChatRequest greeting()
{
    ChatRequest request;
    request.model = u"fake-model"_s;
    request.messages = {
            ChatMessage {u"system"_s, u"你是人工智能助手"_s, {}},
            ChatMessage {u"user"_s, u"今天有哪些新闻"_s, {}},
    };
    return request;
}

struct Retry
{
    int nextAttempt = 0;
    ChatError error;
    std::chrono::milliseconds delay {0};
};

struct StreamRun
{
    StreamOutcome outcome;
    QList<ChatDelta> deltas;
    QList<Retry> retries;
    QString streamedContent; // the content of every emitted delta, in order
};

using DeltaHook = std::function<void(ChatStream &, const ChatDelta &)>;
using RetryHook = std::function<void(ChatStream &, const Retry &)>;

StreamRun streamOnce(const ProviderProfile &profile, const ChatRequest &request,
               const DeltaHook &onDelta = {}, const RetryHook &onRetry = {})
{
    QNetworkAccessManager network;
    ChatStream stream(&network, profile, request);
    StreamRun run;
    QObject::connect(&stream, &ChatStream::deltaReceived, &stream, [&](const ChatDelta &delta) {
        run.deltas.append(delta);
        run.streamedContent += delta.content;
        if (onDelta) {
            onDelta(stream, delta);
        }
    });
    QObject::connect(&stream, &ChatStream::retrying, &stream,
                     [&](int next, const ChatError &error, std::chrono::milliseconds delay) {
                         run.retries.append({next, error, delay});
                         if (onRetry) {
                             onRetry(stream, run.retries.constLast());
                         }
                     });

    run.outcome = QCoro::waitFor(stream.run());
    return run;
}

// Runs the event loop until the fake provider has no response open, or 5 s went by.
void waitUntilAllStreamsClosed(FakeProvider &provider)
{
    QElapsedTimer clock;
    clock.start();
    while (provider.openStreams() > 0 && clock.elapsed() < 5000) {
        QCoro::waitFor(qCoro(&provider, &FakeProvider::streamClosed, 5s));
    }
}

QString errorText(const StreamOutcome &outcome)
{
    return outcome.error ? outcome.error->toDisplayString() : u"no error"_s;
}

} // namespace

TEST(ChatStream, FixtureStreamsToContentReasoningUsageAndFinish)
{
    const QString name = u"deepseek-reasoner-reasoning-content.sse"_s;
    FakeProvider provider;
    provider.setDefaultScenario(FakeProvider::Scenario::fixture(name).inChunks(512, 0ms));
    const QJsonObject expected = fixtures::expected(name);
    const QJsonObject choice = expected[u"choices"_s][u"0"_s].toObject();

    const StreamRun run = streamOnce(profileFor(provider), greeting());

    ASSERT_FALSE(run.outcome.error.has_value()) << qPrintable(errorText(run.outcome));
    EXPECT_EQ(run.outcome.attempts, 1);
    EXPECT_EQ(run.outcome.reply.content, choice[u"content"_s].toString());
    EXPECT_EQ(run.outcome.reply.reasoning, choice[u"reasoning_content"_s].toString());
    EXPECT_EQ(run.outcome.reply.finishReason, u"stop"_s);
    EXPECT_TRUE(run.outcome.reply.usage.known);
    EXPECT_EQ(run.outcome.reply.usage.promptTokens, 6);
    EXPECT_EQ(run.outcome.reply.usage.completionTokens, 212);
    EXPECT_EQ(run.outcome.reply.usage.totalTokens, 218);
    EXPECT_EQ(run.streamedContent, run.outcome.reply.content);
    EXPECT_GT(run.deltas.size(), 10);
}

TEST(ChatStream, SendsTheRightRequest)
{
    FakeProvider provider;
    ProviderProfile profile = profileFor(provider);
    profile.apiKey = u"sk-test-123"_s;

    const StreamRun run = streamOnce(profile, greeting());

    ASSERT_FALSE(run.outcome.error.has_value()) << qPrintable(errorText(run.outcome));
    ASSERT_EQ(provider.requestCount(), 1);
    const FakeProvider::Request request = provider.requests().first();
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.path, u"/v1/chat/completions"_s);
    EXPECT_EQ(request.header("Authorization"), "Bearer sk-test-123");
    EXPECT_EQ(request.header("Accept"), "text/event-stream");
    EXPECT_EQ(request.header("Accept-Encoding"), "identity");
    EXPECT_TRUE(request.header("Content-Type").startsWith("application/json"));
    EXPECT_TRUE(request.header("User-Agent").startsWith("ChatQueue/" CHATQUEUE_VERSION " (Qt "))
            << request.header("User-Agent").constData();
    EXPECT_EQ(request.json[u"model"_s].toString(), u"fake-model"_s);
    EXPECT_EQ(request.json[u"stream"_s].toBool(), true);
    EXPECT_EQ(request.json[u"stream_options"_s][u"include_usage"_s].toBool(), true);
    const QJsonArray messages = request.json[u"messages"_s].toArray();
    ASSERT_EQ(messages.size(), 2);
    EXPECT_EQ(messages[0][u"content"_s].toString(), u"你是人工智能助手"_s);
    EXPECT_EQ(messages[1][u"role"_s].toString(), u"user"_s);
}

TEST(ChatStream, SendsNoAuthorizationWithoutAKeyAndNoUsageWhenOff)
{
    FakeProvider provider;
    ProviderProfile profile = profileFor(provider);
    profile.baseUrl = QUrl(provider.baseUrl().toString() + u'/');
    profile.includeUsage = false;

    const StreamRun run = streamOnce(profile, greeting());

    ASSERT_FALSE(run.outcome.error.has_value()) << qPrintable(errorText(run.outcome));
    ASSERT_EQ(provider.requestCount(), 1);
    const FakeProvider::Request request = provider.requests().first();
    EXPECT_EQ(request.path, u"/v1/chat/completions"_s);
    EXPECT_FALSE(request.hasHeader("Authorization"));
    EXPECT_FALSE(request.json.contains(u"stream_options"_s));
}

TEST(ChatStream, SendsAzureKeyHeaderAndApiVersion)
{
    FakeProvider provider;
    ProviderProfile profile = profileFor(provider);
    profile.apiKey = u"azure-key"_s;
    profile.apiKeyHeader = u"api-key"_s;
    profile.apiVersion = u"2024-10-21"_s;

    const StreamRun run = streamOnce(profile, greeting());

    ASSERT_FALSE(run.outcome.error.has_value()) << qPrintable(errorText(run.outcome));
    ASSERT_EQ(provider.requestCount(), 1);
    const FakeProvider::Request request = provider.requests().first();
    EXPECT_EQ(request.path, u"/v1/chat/completions?api-version=2024-10-21"_s);
    EXPECT_EQ(request.header("api-key"), "azure-key");
    EXPECT_FALSE(request.hasHeader("Authorization"));
}

TEST(ChatStream, SlowStreamEmitsDeltasBeforeItEnds)
{
    FakeProvider provider;
    provider.setDefaultScenario(
            FakeProvider::contentScenario(u"one two three four five six seven eight"_s, 4)
                    .inChunks(64, 30ms));
    int openStreamsAtFirstDelta = -1;

    const StreamRun run = streamOnce(profileFor(provider), greeting(),
                               [&](ChatStream &, const ChatDelta &delta) {
                                   if (openStreamsAtFirstDelta < 0 && !delta.content.isEmpty()) {
                                       openStreamsAtFirstDelta = provider.openStreams();
                                   }
                               });

    ASSERT_FALSE(run.outcome.error.has_value()) << qPrintable(errorText(run.outcome));
    EXPECT_EQ(openStreamsAtFirstDelta, 1);
    EXPECT_EQ(run.outcome.reply.content, u"one two three four five six seven eight"_s);
}

TEST(ChatStream, StallEndsInTimeoutKeepingText)
{
    FakeProvider provider;
    const QByteArray body = FakeProvider::contentStream(u"Hello, this stalls."_s, 4);
    provider.setDefaultScenario(FakeProvider::Scenario::stream(body).stallAfter(body.size() / 2));
    ProviderProfile profile = profileFor(provider);
    profile.timeouts.idle = 300ms;

    const StreamRun run = streamOnce(profile, greeting());

    ASSERT_TRUE(run.outcome.error.has_value());
    EXPECT_EQ(run.outcome.error->kind, ErrorKind::Timeout) << qPrintable(errorText(run.outcome));
    EXPECT_FALSE(run.outcome.reply.content.isEmpty());
    EXPECT_TRUE(u"Hello, this stalls."_s.startsWith(run.outcome.reply.content));
    EXPECT_EQ(provider.requestCount(), 1);
}

TEST(ChatStream, SilenceBeforeTheFirstByteTimesOutAndIsRetried)
{
    FakeProvider provider;
    provider.setDefaultScenario(
            FakeProvider::contentScenario(u"late"_s).withDelayBeforeHeaders(3s));
    ProviderProfile profile = profileFor(provider);
    profile.timeouts.firstByte = 200ms;
    profile.retry.maxAttempts = 2;

    const StreamRun run = streamOnce(profile, greeting());

    ASSERT_TRUE(run.outcome.error.has_value());
    EXPECT_EQ(run.outcome.error->kind, ErrorKind::Timeout) << qPrintable(errorText(run.outcome));
    EXPECT_EQ(run.outcome.attempts, 2);
    EXPECT_EQ(run.retries.size(), 1);
}

TEST(ChatStream, DropMidStreamIsNetworkKeepingText)
{
    FakeProvider provider;
    const QString content = u"The connection will drop in the middle of this answer."_s;
    const QByteArray body = FakeProvider::contentStream(content, 5);
    provider.setDefaultScenario(FakeProvider::Scenario::stream(body).dropAfter(body.size() / 2));

    const StreamRun run = streamOnce(profileFor(provider), greeting());

    ASSERT_TRUE(run.outcome.error.has_value());
    EXPECT_EQ(run.outcome.error->kind, ErrorKind::Network) << qPrintable(errorText(run.outcome));
    EXPECT_FALSE(run.outcome.reply.content.isEmpty());
    EXPECT_NE(run.outcome.reply.content, content);
    EXPECT_TRUE(content.startsWith(run.outcome.reply.content));
    EXPECT_EQ(provider.requestCount(), 1);
}

TEST(ChatStream, StreamEndingBeforeAnyFinishIsProtocolKeepingText)
{
    FakeProvider provider;
    QByteArray body = FakeProvider::contentStream(u"cut short"_s, 3);
    body.truncate(body.indexOf("\"finish_reason\":\"stop\""));
    body.truncate(body.lastIndexOf("\n\n") + 2);
    provider.setDefaultScenario(FakeProvider::Scenario::stream(body));

    const StreamRun run = streamOnce(profileFor(provider), greeting());

    ASSERT_TRUE(run.outcome.error.has_value());
    EXPECT_EQ(run.outcome.error->kind, ErrorKind::Protocol) << qPrintable(errorText(run.outcome));
    EXPECT_TRUE(run.outcome.error->message.contains(u"ended early"_s));
    EXPECT_EQ(run.outcome.reply.content, u"cut short"_s);
}

TEST(ChatStream, UnauthorizedIsAuthAndNotRetried)
{
    FakeProvider provider;
    provider.setDefaultScenario(
            FakeProvider::Scenario::errorFixture(401, u"openai-401-invalid-api-key.json"_s));
    ProviderProfile profile = profileFor(provider);
    profile.apiKey = u"sk-wrong-key"_s;
    profile.retry.maxAttempts = 4;

    const StreamRun run = streamOnce(profile, greeting());

    ASSERT_TRUE(run.outcome.error.has_value());
    EXPECT_EQ(run.outcome.error->kind, ErrorKind::Auth);
    EXPECT_EQ(run.outcome.error->httpStatus, 401);
    EXPECT_TRUE(run.outcome.error->message.contains(u"Incorrect API key provided"_s))
            << qPrintable(errorText(run.outcome));
    EXPECT_EQ(provider.requestCount(), 1);
    EXPECT_EQ(run.outcome.attempts, 1);
    EXPECT_TRUE(run.retries.isEmpty());
}

TEST(ChatStream, RateLimitHonoursRetryAfterThenSucceeds)
{
    FakeProvider provider;
    provider.enqueue(FakeProvider::Scenario::rateLimited(1));
    provider.setDefaultScenario(FakeProvider::contentScenario(u"after the wait"_s));
    QElapsedTimer clock;
    clock.start();

    const StreamRun run = streamOnce(profileFor(provider), greeting());
    const qint64 elapsedMs = clock.elapsed();

    ASSERT_FALSE(run.outcome.error.has_value()) << qPrintable(errorText(run.outcome));
    EXPECT_EQ(run.outcome.reply.content, u"after the wait"_s);
    EXPECT_EQ(run.outcome.attempts, 2);
    EXPECT_EQ(provider.requestCount(), 2);
    ASSERT_EQ(run.retries.size(), 1);
    EXPECT_EQ(run.retries.first().nextAttempt, 2);
    EXPECT_EQ(run.retries.first().error.kind, ErrorKind::RateLimit);
    EXPECT_EQ(run.retries.first().delay, 1000ms);
    EXPECT_GE(elapsedMs, 900);
}

TEST(ChatStream, ServerErrorsEndAfterMaxAttempts)
{
    FakeProvider provider;
    provider.setDefaultScenario(FakeProvider::Scenario::error(500, u"boom"_s));
    ProviderProfile profile = profileFor(provider);
    profile.retry.maxAttempts = 3;

    const StreamRun run = streamOnce(profile, greeting());

    ASSERT_TRUE(run.outcome.error.has_value());
    EXPECT_EQ(run.outcome.error->kind, ErrorKind::Server);
    EXPECT_EQ(run.outcome.error->httpStatus, 500);
    EXPECT_EQ(run.outcome.error->message, u"boom"_s);
    EXPECT_EQ(provider.requestCount(), 3);
    EXPECT_EQ(run.outcome.attempts, 3);
    EXPECT_EQ(run.retries.size(), 2);
}

TEST(ChatStream, ConnectionRefusedIsNetworkAndRetried)
{
    QTcpServer closed;
    ASSERT_TRUE(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    FakeProvider provider;
    ProviderProfile profile = profileFor(provider);
    profile.baseUrl = QUrl(u"http://127.0.0.1:"_s + QString::number(port) + u"/v1"_s);
    profile.retry.maxAttempts = 2;

    const StreamRun run = streamOnce(profile, greeting());

    ASSERT_TRUE(run.outcome.error.has_value());
    EXPECT_EQ(run.outcome.error->kind, ErrorKind::Network) << qPrintable(errorText(run.outcome));
    EXPECT_EQ(run.outcome.error->httpStatus, 0);
    EXPECT_EQ(run.outcome.attempts, 2);
}

TEST(ChatStream, HtmlPageWithStatus200IsProtocol)
{
    FakeProvider provider;
    provider.setDefaultScenario(FakeProvider::Scenario::htmlPage());

    const StreamRun run = streamOnce(profileFor(provider), greeting());

    ASSERT_TRUE(run.outcome.error.has_value());
    EXPECT_EQ(run.outcome.error->kind, ErrorKind::Protocol);
    EXPECT_TRUE(run.outcome.error->message.contains(u"Sign in to the network"_s))
            << qPrintable(errorText(run.outcome));
    EXPECT_EQ(provider.requestCount(), 1);
}

TEST(ChatStream, EventStreamLabelledAsJsonIsAccepted)
{
    FakeProvider provider;
    provider.setDefaultScenario(FakeProvider::contentScenario(u"mislabelled but fine"_s)
                                        .withContentType("application/json"));

    const StreamRun run = streamOnce(profileFor(provider), greeting());

    ASSERT_FALSE(run.outcome.error.has_value()) << qPrintable(errorText(run.outcome));
    EXPECT_EQ(run.outcome.reply.content, u"mislabelled but fine"_s);
}

TEST(ChatStream, CancelMidStreamKeepsTextAndClosesTheConnection)
{
    FakeProvider provider;
    const QString content = u"This answer is long and slow, and it will be stopped early."_s;
    provider.setDefaultScenario(FakeProvider::contentScenario(content, 4).inChunks(40, 50ms));

    const StreamRun run = streamOnce(profileFor(provider), greeting(),
                               [](ChatStream &stream, const ChatDelta &delta) {
                                   if (!delta.content.isEmpty()) {
                                       stream.cancel();
                                   }
                               });
    waitUntilAllStreamsClosed(provider);

    ASSERT_TRUE(run.outcome.error.has_value());
    EXPECT_EQ(run.outcome.error->kind, ErrorKind::Cancelled);
    EXPECT_FALSE(run.outcome.reply.content.isEmpty());
    EXPECT_NE(run.outcome.reply.content, content);
    EXPECT_EQ(provider.openStreams(), 0);
    EXPECT_EQ(provider.clientDisconnects(), 1);
    EXPECT_EQ(provider.requestCount(), 1);
}

TEST(ChatStream, CancelDuringBackoffEndsAtOnce)
{
    FakeProvider provider;
    provider.enqueue(FakeProvider::Scenario::rateLimited(60));
    ProviderProfile profile = profileFor(provider);
    profile.retry.maxDelay = 120s;

    const StreamRun run = streamOnce(profile, greeting(), {},
                               [](ChatStream &stream, const Retry &) { stream.cancel(); });

    ASSERT_TRUE(run.outcome.error.has_value());
    EXPECT_EQ(run.outcome.error->kind, ErrorKind::Cancelled);
    EXPECT_EQ(run.outcome.attempts, 1);
    EXPECT_EQ(provider.requestCount(), 1);
}

TEST(ChatStream, ChineseSplitAcrossChunksArrivesIntact)
{
    FakeProvider provider;
    const QString reasoning = u"用户问今天有哪些新闻。我无法实时联网，需要说明。"_s;
    const QString content = u"抱歉，我无法获取实时新闻。😊 建议查看新华网或人民网。"_s;
    provider.setDefaultScenario(
            FakeProvider::reasoningScenario(reasoning, content, 3).inChunks(7, 1ms));

    const StreamRun run = streamOnce(profileFor(provider), greeting());

    ASSERT_FALSE(run.outcome.error.has_value()) << qPrintable(errorText(run.outcome));
    EXPECT_EQ(run.outcome.reply.reasoning, reasoning);
    EXPECT_EQ(run.outcome.reply.content, content);
    EXPECT_EQ(run.streamedContent, content);
}

TEST(ChatStream, ErrorInsideTheStreamEndsItKeepingText)
{
    FakeProvider provider;
    provider.setDefaultScenario(
            FakeProvider::Scenario::fixture(u"groq-gpt-oss-midstream-event-error.sse"_s));

    const StreamRun run = streamOnce(profileFor(provider), greeting());

    ASSERT_TRUE(run.outcome.error.has_value());
    EXPECT_EQ(run.outcome.error->kind, ErrorKind::BadRequest) << qPrintable(errorText(run.outcome));
    EXPECT_TRUE(run.outcome.error->message.contains(u"Tool call validation failed"_s));
    EXPECT_FALSE(run.outcome.reply.reasoning.isEmpty());
    EXPECT_EQ(provider.requestCount(), 1);
}

TEST(ChatStream, CancelBeforeRunMakesNoRequest)
{
    FakeProvider provider;
    QNetworkAccessManager network;
    ChatStream stream(&network, profileFor(provider), greeting());

    stream.cancel();
    const StreamOutcome outcome = QCoro::waitFor(stream.run());

    ASSERT_TRUE(outcome.error.has_value());
    EXPECT_EQ(outcome.error->kind, ErrorKind::Cancelled);
    EXPECT_EQ(outcome.attempts, 0);
    EXPECT_EQ(provider.requestCount(), 0);
}

TEST(ChatStream, DropBeforeAnyDeltaIsRetried)
{
    FakeProvider provider;
    provider.enqueue(FakeProvider::contentScenario(u"first try"_s).dropAfter(0));
    provider.setDefaultScenario(FakeProvider::contentScenario(u"second try"_s));

    const StreamRun run = streamOnce(profileFor(provider), greeting());

    ASSERT_FALSE(run.outcome.error.has_value()) << qPrintable(errorText(run.outcome));
    EXPECT_EQ(run.outcome.reply.content, u"second try"_s);
    EXPECT_EQ(run.outcome.attempts, 2);
    ASSERT_EQ(run.retries.size(), 1);
    EXPECT_EQ(run.retries.first().error.kind, ErrorKind::Network);
}

TEST(ChatStream, TotalLimitEndsASlowStream)
{
    FakeProvider provider;
    provider.setDefaultScenario(
            FakeProvider::contentScenario(QString(200, u'a'), 2).inChunks(200, 50ms));
    ProviderProfile profile = profileFor(provider);
    profile.timeouts.total = 300ms;

    const StreamRun run = streamOnce(profile, greeting());

    ASSERT_TRUE(run.outcome.error.has_value());
    EXPECT_EQ(run.outcome.error->kind, ErrorKind::Timeout) << qPrintable(errorText(run.outcome));
    EXPECT_FALSE(run.outcome.reply.content.isEmpty());
    EXPECT_EQ(run.outcome.attempts, 1);
}
