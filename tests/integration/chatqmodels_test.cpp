// chatq models, end to end: the built binary lists the models of the fake provider on
// loopback, resolving the profile the way `ask` and `worker` do.

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include "tests/integration/chatqprocess.h"
#include "tests/support/fakeprovider.h"

using namespace Qt::StringLiterals;

namespace {

using chatqprocess::cleanEnvironment;
using chatqprocess::RunResult;

QStringList modelsArguments(const FakeProvider &provider)
{
    return {u"models"_s, u"--base-url"_s, provider.baseUrl().toString()};
}

} // namespace

TEST(ChatqModels, ListsOneIdPerLineSorted)
{
    FakeProvider provider;
    provider.setModels({u"qwen3-32b"_s, u"deepseek-chat"_s, u"gpt-4o-mini"_s});

    const RunResult result = chatqprocess::run(modelsArguments(provider));

    ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    EXPECT_EQ(result.out, u"deepseek-chat\ngpt-4o-mini\nqwen3-32b\n"_s);
    ASSERT_EQ(provider.requestCount(), 1);
    EXPECT_EQ(provider.requests().first().method, "GET");
    EXPECT_EQ(provider.requests().first().path, u"/v1/models"_s);
}

TEST(ChatqModels, JsonPrintsOneArray)
{
    FakeProvider provider;
    provider.setModels({u"b-model"_s, u"a-model"_s});
    QStringList arguments = modelsArguments(provider);
    arguments << u"--json"_s;

    const RunResult result = chatqprocess::run(arguments);

    ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    const QJsonDocument document = QJsonDocument::fromJson(result.out.toUtf8());
    ASSERT_TRUE(document.isArray()) << result.out.toStdString();
    EXPECT_EQ(document.array(), QJsonArray({u"a-model"_s, u"b-model"_s}));
}

TEST(ChatqModels, SendsTheKeyOfTheNamedVariable)
{
    FakeProvider provider;
    QProcessEnvironment environment = cleanEnvironment();
    environment.insert(u"MODELS_TEST_KEY"_s, u"sk-models-1"_s);
    QStringList arguments = modelsArguments(provider);
    arguments << u"--api-key-env"_s << u"MODELS_TEST_KEY"_s;

    const RunResult result = chatqprocess::run(arguments, environment);

    ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    ASSERT_EQ(provider.requestCount(), 1);
    EXPECT_EQ(provider.requests().first().header("authorization"), "Bearer sk-models-1");
}

TEST(ChatqModels, TakesTheBaseUrlFromTheEnvironment)
{
    FakeProvider provider;
    QProcessEnvironment environment = cleanEnvironment();
    environment.insert(u"OPENAI_BASE_URL"_s, provider.baseUrl().toString());

    const RunResult result = chatqprocess::run({u"models"_s}, environment);

    ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    EXPECT_EQ(result.out, u"fake-model\n"_s);
}

TEST(ChatqModels, AuthFailureExitsOneWithTheProvidersMessage)
{
    FakeProvider provider;
    provider.enqueue(
            FakeProvider::Scenario::errorFixture(401, u"openai-401-invalid-api-key.json"_s));

    const RunResult result = chatqprocess::run(modelsArguments(provider));

    EXPECT_EQ(result.exitCode, 1);
    EXPECT_TRUE(result.out.isEmpty()) << result.out.toStdString();
    EXPECT_TRUE(result.err.contains(u"auth (HTTP 401)"_s)) << result.err.toStdString();
    EXPECT_TRUE(result.err.contains(u"Incorrect API key provided"_s)) << result.err.toStdString();
}

TEST(ChatqModels, ReadsTheNamedProfileFromAProfilesFile)
{
    FakeProvider provider;
    provider.setModels({u"local-model"_s});
    QTemporaryDir directory;
    ASSERT_TRUE(directory.isValid());
    const QString path = directory.filePath(u"profiles.json"_s);
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(QJsonObject{{u"profiles"_s,
                                          QJsonArray{QJsonObject{
                                                  {u"name"_s, u"local"_s},
                                                  {u"base_url"_s, provider.baseUrl().toString()},
                                                  {u"api_key_env"_s, u"LOCAL_TEST_KEY"_s}}}}})
                       .toJson());
    file.close();
    QProcessEnvironment environment = cleanEnvironment();
    environment.insert(u"LOCAL_TEST_KEY"_s, u"sk-local-2"_s);

    const RunResult result =
            chatqprocess::run({u"models"_s, u"--profiles"_s, path, u"--profile"_s, u"local"_s},
                              environment);

    ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    EXPECT_EQ(result.out, u"local-model\n"_s);
    ASSERT_EQ(provider.requestCount(), 1);
    EXPECT_EQ(provider.requests().first().header("authorization"), "Bearer sk-local-2");
}

TEST(ChatqModels, UnknownProfileIsBadUsage)
{
    FakeProvider provider;
    QTemporaryDir directory;
    ASSERT_TRUE(directory.isValid());
    const QString path = directory.filePath(u"profiles.json"_s);
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(
            QJsonDocument(QJsonObject{{u"profiles"_s,
                                       QJsonArray{QJsonObject{
                                               {u"name"_s, u"local"_s},
                                               {u"base_url"_s, provider.baseUrl().toString()}}}}})
                    .toJson());
    file.close();

    const RunResult result =
            chatqprocess::run({u"models"_s, u"--profiles"_s, path, u"--profile"_s, u"elsewhere"_s});

    EXPECT_EQ(result.exitCode, 2);
    EXPECT_TRUE(result.err.contains(u"elsewhere"_s)) << result.err.toStdString();
    EXPECT_EQ(provider.requestCount(), 0);
}
