// chatq ask, end to end: the built binary, run as a child process, against the fake provider
// on loopback. These tests hold the console contract of docs/chatq-json.md.

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTimer>

#include "tests/integration/chatqprocess.h"
#include "tests/support/fakeprovider.h"

#ifndef Q_OS_WIN
#  include <csignal>
#endif

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

using chatqprocess::cleanEnvironment;
using chatqprocess::RunResult;

RunResult runChatq(const QStringList &arguments,
                   const QProcessEnvironment &environment = cleanEnvironment(),
                   const std::function<void(QProcess &)> &whileRunning = {})
{
    return chatqprocess::run(arguments, environment, whileRunning);
}

QStringList askArguments(const FakeProvider &provider, const QString &prompt)
{
    return {u"ask"_s,
            u"--base-url"_s,
            provider.baseUrl().toString(),
            u"--model"_s,
            u"test-model"_s,
            prompt};
}

QJsonObject parseJsonLine(const QString &out)
{
    const QStringList lines = out.split(u'\n', Qt::SkipEmptyParts);
    if (lines.size() != 1) {
        ADD_FAILURE() << "expected one line of JSON, got: " << out.toStdString();
        return {};
    }
    return QJsonDocument::fromJson(lines.first().toUtf8()).object();
}

} // namespace

TEST(ChatqAsk, StreamsTheAnswerToStdout)
{
    FakeProvider provider;
    provider.setDefaultScenario(FakeProvider::contentScenario(u"Hello from the fake provider."_s));

    const RunResult result = runChatq(askArguments(provider, u"Say hello"_s));

    EXPECT_EQ(result.exitCode, 0) << result.err.toStdString();
    EXPECT_EQ(result.out, u"Hello from the fake provider.\n"_s);
}

TEST(ChatqAsk, SendsSystemPromptParametersAndKeyFromNamedVariable)
{
    FakeProvider provider;
    QProcessEnvironment environment = cleanEnvironment();
    environment.insert(u"MY_TEST_KEY"_s, u"sk-test-123"_s);
    QStringList arguments = askArguments(provider, u"今天有哪些新闻"_s);
    arguments << u"--system"_s << u"你是人工智能助手"_s << u"--temperature"_s << u"0.5"_s
              << u"--max-tokens"_s << u"64"_s << u"--api-key-env"_s << u"MY_TEST_KEY"_s;

    const RunResult result = runChatq(arguments, environment);

    ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    ASSERT_EQ(provider.requestCount(), 1);
    const FakeProvider::Request request = provider.requests().first();
    EXPECT_EQ(request.header("authorization"), "Bearer sk-test-123");
    EXPECT_EQ(request.json[u"model"_s].toString(), u"test-model"_s);
    EXPECT_EQ(request.json[u"temperature"_s].toDouble(), 0.5);
    EXPECT_EQ(request.json[u"max_tokens"_s].toInt(), 64);
    const QJsonArray messages = request.json[u"messages"_s].toArray();
    ASSERT_EQ(messages.size(), 2);
    EXPECT_EQ(messages[0].toObject()[u"content"_s].toString(), u"你是人工智能助手"_s);
    EXPECT_EQ(messages[1].toObject()[u"content"_s].toString(), u"今天有哪些新闻"_s);
}

TEST(ChatqAsk, SendsNoAuthorizationWithoutKey)
{
    FakeProvider provider;

    const RunResult result = runChatq(askArguments(provider, u"hi"_s));

    ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    ASSERT_EQ(provider.requestCount(), 1);
    EXPECT_FALSE(provider.requests().first().hasHeader("authorization"));
}

TEST(ChatqAsk, JsonPrintsTheResultObject)
{
    FakeProvider provider;
    provider.setDefaultScenario(
            FakeProvider::Scenario::fixture(u"openai-gpt4o-text-include-usage.sse"_s));
    QStringList arguments = askArguments(provider, u"weather?"_s);
    arguments << u"--json"_s;

    const RunResult result = runChatq(arguments);

    ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    const QJsonObject object = parseJsonLine(result.out);
    EXPECT_FALSE(object[u"id"_s].toString().isEmpty());
    EXPECT_EQ(object[u"status"_s].toString(), u"succeeded"_s);
    EXPECT_TRUE(object[u"content"_s].toString().startsWith(u"I'm unable to provide real-time"_s));
    EXPECT_EQ(object[u"reasoning"_s].toString(), QString());
    EXPECT_EQ(object[u"finish_reason"_s].toString(), u"stop"_s);
    EXPECT_EQ(object[u"usage"_s].toObject()[u"prompt_tokens"_s].toInt(), 14);
    EXPECT_EQ(object[u"usage"_s].toObject()[u"completion_tokens"_s].toInt(), 30);
    EXPECT_EQ(object[u"usage"_s].toObject()[u"total_tokens"_s].toInt(), 44);
    EXPECT_TRUE(object[u"error"_s].isNull());
    const QJsonObject timings = object[u"timings"_s].toObject();
    EXPECT_TRUE(timings[u"queued_ms"_s].isDouble());
    EXPECT_TRUE(timings[u"first_token_ms"_s].isDouble());
    EXPECT_GE(timings[u"total_ms"_s].toDouble(), timings[u"first_token_ms"_s].toDouble());
}

TEST(ChatqAsk, ReasoningGoesToStderr)
{
    FakeProvider provider;
    provider.setDefaultScenario(
            FakeProvider::reasoningScenario(u"先想一想新闻来源。"_s, u"以下是今天的新闻。"_s));
    QStringList arguments = askArguments(provider, u"今天有哪些新闻"_s);
    arguments << u"--reasoning"_s;

    const RunResult result = runChatq(arguments);

    ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    EXPECT_EQ(result.out, u"以下是今天的新闻。\n"_s);
    EXPECT_TRUE(result.err.contains(u"先想一想新闻来源。"_s)) << result.err.toStdString();
}

TEST(ChatqAsk, AuthFailureExitsOneWithTheProvidersMessage)
{
    FakeProvider provider;
    provider.setDefaultScenario(
            FakeProvider::Scenario::errorFixture(401, u"openai-401-invalid-api-key.json"_s));

    const RunResult result = runChatq(askArguments(provider, u"hi"_s));

    EXPECT_EQ(result.exitCode, 1);
    EXPECT_TRUE(result.err.contains(u"auth"_s)) << result.err.toStdString();
    EXPECT_TRUE(result.err.contains(u"Incorrect API key provided"_s)) << result.err.toStdString();
    EXPECT_EQ(provider.requestCount(), 1);
}

TEST(ChatqAsk, JsonCarriesTheErrorKindAndStatus)
{
    FakeProvider provider;
    provider.setDefaultScenario(
            FakeProvider::Scenario::errorFixture(404, u"groq-404-model-not-found.json"_s));
    QStringList arguments = askArguments(provider, u"hi"_s);
    arguments << u"--json"_s;

    const RunResult result = runChatq(arguments);

    EXPECT_EQ(result.exitCode, 1);
    const QJsonObject object = parseJsonLine(result.out);
    EXPECT_EQ(object[u"status"_s].toString(), u"failed"_s);
    const QJsonObject error = object[u"error"_s].toObject();
    EXPECT_EQ(error[u"kind"_s].toString(), u"not_found"_s);
    EXPECT_EQ(error[u"http_status"_s].toInt(), 404);
    EXPECT_FALSE(error[u"message"_s].toString().isEmpty());
}

TEST(ChatqAsk, InterruptCancelsTheJobAndKeepsPartialText)
{
#ifdef Q_OS_WIN
    GTEST_SKIP() << "sends SIGINT; the console handler is checked on POSIX only";
#else
    FakeProvider provider;
    provider.setDefaultScenario(
            FakeProvider::contentScenario(QString(400, u'x'), 4).inChunks(64, 50ms));
    QStringList arguments = askArguments(provider, u"long answer"_s);
    arguments << u"--json"_s;

    const RunResult result = runChatq(arguments, cleanEnvironment(), [&](QProcess &process) {
        // Interrupt once the first bytes of the answer went out.
        QObject::connect(&provider, &FakeProvider::requestReceived, &process, [&process] {
            QTimer::singleShot(400ms, &process, [&process] {
                ::kill(pid_t(process.processId()), SIGINT);
            });
        });
    });

    EXPECT_EQ(result.exitCode, 130) << result.err.toStdString();
    const QJsonObject object = parseJsonLine(result.out);
    EXPECT_EQ(object[u"status"_s].toString(), u"cancelled"_s);
    EXPECT_EQ(object[u"error"_s].toObject()[u"kind"_s].toString(), u"cancelled"_s);
    const QString partial = object[u"content"_s].toString();
    EXPECT_FALSE(partial.isEmpty());
    EXPECT_LT(partial.size(), 400);
#endif
}

TEST(ChatqUsage, MissingPromptIsBadUsage)
{
    const RunResult result = runChatq({u"ask"_s, u"--model"_s, u"m"_s});

    EXPECT_EQ(result.exitCode, 2);
    EXPECT_TRUE(result.err.contains(u"PROMPT"_s)) << result.err.toStdString();
}

TEST(ChatqUsage, MissingModelIsBadUsage)
{
    const RunResult result = runChatq({u"ask"_s, u"hello"_s});

    EXPECT_EQ(result.exitCode, 2);
    EXPECT_TRUE(result.err.contains(u"model"_s)) << result.err.toStdString();
}

TEST(ChatqUsage, InvalidBaseUrlIsBadUsage)
{
    const RunResult result =
            runChatq({u"ask"_s, u"--base-url"_s, u"ftp:/nowhere"_s, u"--model"_s, u"m"_s, u"hi"_s});

    EXPECT_EQ(result.exitCode, 2);
    EXPECT_TRUE(result.err.contains(u"--base-url"_s)) << result.err.toStdString();
}

TEST(ChatqUsage, UnknownCommandIsBadUsage)
{
    const RunResult result = runChatq({u"frobnicate"_s});

    EXPECT_EQ(result.exitCode, 2);
    EXPECT_TRUE(result.err.contains(u"frobnicate"_s));
}

TEST(ChatqUsage, HelpAndVersionSucceed)
{
    const RunResult help = runChatq({u"--help"_s});
    const RunResult askHelp = runChatq({u"ask"_s, u"--help"_s});
    const RunResult version = runChatq({u"--version"_s});

    EXPECT_EQ(help.exitCode, 0);
    EXPECT_TRUE(help.out.contains(u"ask"_s));
    EXPECT_EQ(askHelp.exitCode, 0);
    EXPECT_TRUE(askHelp.out.contains(u"--api-key-env"_s));
    EXPECT_EQ(version.exitCode, 0);
    EXPECT_TRUE(version.out.startsWith(u"chatq "_s));
}

TEST(ChatqAsk, ReadsALongPromptFromStdin)
{
    FakeProvider provider;
    const QString prompt = QString(300 * 1024, u'长');

    const RunResult result =
            runChatq(askArguments(provider, u"-"_s), cleanEnvironment(), [&](QProcess &process) {
                process.write(prompt.toUtf8());
                process.closeWriteChannel();
            });

    ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    ASSERT_EQ(provider.requestCount(), 1);
    const QJsonArray messages = provider.requests().first().json[u"messages"_s].toArray();
    EXPECT_EQ(messages.last().toObject()[u"content"_s].toString(), prompt);
}

TEST(ChatqAsk, SaysWhyItWaitsWhileRetrying)
{
    FakeProvider provider;
    provider.enqueue(FakeProvider::Scenario::rateLimited(1));
    provider.setDefaultScenario(FakeProvider::contentScenario(u"after the wait"_s));

    const RunResult result = runChatq(askArguments(provider, u"hi"_s));

    EXPECT_EQ(result.exitCode, 0) << result.err.toStdString();
    EXPECT_EQ(result.out, u"after the wait\n"_s);
    EXPECT_TRUE(result.err.contains(u"rate_limit"_s)) << result.err.toStdString();
    EXPECT_TRUE(result.err.contains(u"trying again"_s)) << result.err.toStdString();
}

TEST(ChatqAsk, KeepsLibraryLogsOffTheTerminal)
{
    FakeProvider provider;
    provider.setDefaultScenario(FakeProvider::reasoningScenario(u"想"_s, u"答"_s));
    QStringList arguments = askArguments(provider, u"hi"_s);
    arguments << u"--reasoning"_s;

    const RunResult result = runChatq(arguments);

    ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    EXPECT_FALSE(result.err.contains(u"chatqueue."_s)) << result.err.toStdString();
    EXPECT_EQ(result.err, u"想\n"_s);
}

TEST(ChatqUsage, NotANumberTemperatureIsBadUsage)
{
    const RunResult result =
            runChatq({u"ask"_s, u"--model"_s, u"m"_s, u"--temperature"_s, u"nan"_s, u"hi"_s});

    EXPECT_EQ(result.exitCode, 2);
    EXPECT_TRUE(result.err.contains(u"--temperature"_s)) << result.err.toStdString();
}

TEST(ChatqUsage, MalformedQueueUrlIsBadUsage)
{
    const RunResult result = runChatq({u"jobs"_s, u"--queue"_s, u"bogus://x"_s});

    EXPECT_EQ(result.exitCode, 2) << result.err.toStdString();
}
