// Provider presets, profile settings in a real settings file, the move of the older single
// provider into profiles, and the request body with and without reasoning sent back.

#include "core/provider/requestbody.h"
#include "core/settings/appsettings.h"
#include "core/settings/profilesfile.h"
#include "core/settings/providerpresets.h"
#include "core/worker/networkpool.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace {

QByteArray fileText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

ChatRequest conversationWithReasoning()
{
    ChatRequest request;
    request.model = u"deepseek-reasoner"_s;
    request.messages = {
            ChatMessage{u"user"_s, u"What is 2+2?"_s, {}},
            ChatMessage{u"assistant"_s, u"4"_s, u"Adding two and two gives four."_s},
            ChatMessage{u"user"_s, u"And 3+3?"_s, {}},
    };
    return request;
}

} // namespace

TEST(ProviderPresets, BuiltInPresetsLoadWithHttpUrls)
{
    const QList<ProviderPreset> &presets = ProviderPresets::builtIn();

    ASSERT_GE(presets.size(), 16);
    for (const ProviderPreset &preset : presets) {
        EXPECT_FALSE(preset.id.isEmpty());
        EXPECT_FALSE(preset.displayName().isEmpty()) << qPrintable(preset.id);
        EXPECT_TRUE(preset.baseUrl.isValid()) << qPrintable(preset.id);
        EXPECT_FALSE(preset.baseUrl.host().isEmpty()) << qPrintable(preset.id);
        EXPECT_TRUE(preset.baseUrl.scheme() == u"http"_s || preset.baseUrl.scheme() == u"https"_s)
                << qPrintable(preset.id);
    }
}

TEST(ProviderPresets, KnowsTheProvidersAndTheirQuirks)
{
    const auto ark = ProviderPresets::find(u"volcengine-ark"_s);
    const auto azure = ProviderPresets::find(u"azure-openai"_s);
    const auto ollama = ProviderPresets::find(u"ollama"_s);
    const auto custom = ProviderPresets::find(ProviderPresets::customId());

    ASSERT_TRUE(ark && azure && ollama && custom);
    EXPECT_EQ(ark->baseUrl, QUrl(u"https://ark.cn-beijing.volces.com/api/v3"_s));
    EXPECT_EQ(azure->apiKeyHeader, u"api-key"_s);
    EXPECT_FALSE(azure->apiVersion.isEmpty());
    EXPECT_TRUE(azure->baseUrlIsTemplate);
    EXPECT_FALSE(ollama->needsKey);
    EXPECT_EQ(ollama->baseUrl, QUrl(u"http://localhost:11434/v1"_s));
    EXPECT_EQ(ProviderPresets::idForBaseUrl(QUrl(u"https://api.moonshot.cn/v1/"_s)), u"moonshot"_s);
    EXPECT_EQ(ProviderPresets::idForBaseUrl(QUrl(u"http://127.0.0.1:9/v1"_s)), u"custom"_s);
}

TEST(ProviderPresets, RefusesAPresetWithoutAnHttpUrl)
{
    const QByteArray json = R"({"presets": [{"id": "x", "name": "X", "base_url": "ftp://a/b"}]})";

    const auto parsed = ProviderPresets::parse(json, u"test.json"_s);

    ASSERT_FALSE(parsed.ok());
    EXPECT_TRUE(parsed.error().contains(u"base_url"_s));
}

TEST(AppSettings, ProfilesRoundTripWithoutSecretsInTheFile)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(u"settings.ini"_s);
    ProfileSettings azure;
    azure.name = u"work azure"_s;
    azure.presetId = u"azure-openai"_s;
    azure.baseUrl = QUrl(u"https://res.openai.azure.com/openai/deployments/gpt4o"_s);
    azure.apiKeyHeader = u"api-key"_s;
    azure.apiVersion = u"2024-10-21"_s;
    azure.models = {u"gpt-4o"_s};
    azure.defaultModel = u"gpt-4o"_s;
    azure.proxy = ProxySettings{ProxySettings::Type::Socks5, u"127.0.0.1"_s, 1080, u"me"_s, {}};
    ProfileSettings deepseek;
    deepseek.name = u"deepseek"_s;
    deepseek.presetId = u"deepseek"_s;
    deepseek.baseUrl = QUrl(u"https://api.deepseek.com/v1"_s);
    deepseek.models = {u"deepseek-chat"_s, u"deepseek-reasoner"_s};
    deepseek.defaultModel = u"deepseek-reasoner"_s;
    deepseek.sendReasoning = true;
    // A password that slipped into the struct must still not reach the file.
    ProfileSettings withPassword = azure;
    withPassword.proxy.password = u"proxy-secret-4711"_s;

    {
        AppSettings settings(path);
        settings.setProfiles({withPassword, deepseek});
        settings.setCurrentProfile(u"deepseek"_s);
        settings.setSystemPrompt(u"你是助手"_s);
        settings.sync();
    }
    AppSettings reopened(path);
    const QList<ProfileSettings> read = reopened.profiles();

    ASSERT_EQ(read.size(), 2);
    EXPECT_EQ(read.at(0), azure);
    EXPECT_EQ(read.at(1), deepseek);
    EXPECT_EQ(reopened.currentProfile(), u"deepseek"_s);
    EXPECT_EQ(reopened.provider().model, u"deepseek-reasoner"_s);
    EXPECT_EQ(reopened.systemPrompt(), u"你是助手"_s);
    EXPECT_FALSE(fileText(path).contains("proxy-secret-4711"));
    EXPECT_FALSE(fileText(path).toLower().contains("password"));
}

TEST(AppSettings, MovesTheSingleProviderOfOlderVersionsIntoAProfile)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(u"settings.ini"_s);
    {
        QSettings old(path, QSettings::IniFormat);
        old.setValue(u"provider/profile"_s, u"default"_s);
        old.setValue(u"provider/baseUrl"_s, u"https://api.deepseek.com/v1"_s);
        old.setValue(u"provider/model"_s, u"deepseek-chat"_s);
        old.setValue(u"provider/systemPrompt"_s, u"Be brief."_s);
        old.setValue(u"queue/url"_s, u"memory"_s);
    }

    AppSettings settings(path);
    const QList<ProfileSettings> profiles = settings.profiles();
    settings.sync();

    ASSERT_EQ(profiles.size(), 1);
    EXPECT_EQ(profiles.first().name, u"default"_s);
    EXPECT_EQ(profiles.first().presetId, u"deepseek"_s);
    EXPECT_EQ(profiles.first().baseUrl, QUrl(u"https://api.deepseek.com/v1"_s));
    EXPECT_EQ(profiles.first().defaultModel, u"deepseek-chat"_s);
    EXPECT_EQ(settings.provider().model, u"deepseek-chat"_s);
    EXPECT_EQ(settings.provider().baseUrl, QUrl(u"https://api.deepseek.com/v1"_s));
    EXPECT_EQ(settings.systemPrompt(), u"Be brief."_s);
    EXPECT_EQ(settings.queueUrl(), u"memory"_s);
    EXPECT_FALSE(QSettings(path, QSettings::IniFormat).childGroups().contains(u"provider"_s));
}

TEST(AppSettings, AFreshFileHasOneDefaultProfile)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());

    AppSettings settings(dir.filePath(u"settings.ini"_s));

    ASSERT_EQ(settings.profiles().size(), 1);
    EXPECT_EQ(settings.currentProfile(), u"default"_s);
    EXPECT_EQ(settings.provider().baseUrl, QUrl(u"https://api.openai.com/v1"_s));
}

TEST(RequestBody, SendsReasoningBackOnlyWhenTheProfileAsks)
{
    const ChatRequest request = conversationWithReasoning();
    ProviderProfile plain;
    ProviderProfile sendsBack;
    sendsBack.sendReasoning = true;

    const QJsonArray without = RequestBody::make(request, plain)[u"messages"_s].toArray();
    const QJsonArray with = RequestBody::make(request, sendsBack)[u"messages"_s].toArray();

    ASSERT_EQ(without.size(), 3);
    ASSERT_EQ(with.size(), 3);
    for (const QJsonValue &message : without) {
        EXPECT_FALSE(message.toObject().contains(u"reasoning_content"_s));
        EXPECT_FALSE(message.toObject().contains(u"reasoning"_s));
    }
    EXPECT_EQ(with.at(1)[u"reasoning_content"_s].toString(), u"Adding two and two gives four."_s);
    EXPECT_EQ(with.at(1)[u"content"_s].toString(), u"4"_s);
    EXPECT_FALSE(with.at(0).toObject().contains(u"reasoning_content"_s));
    EXPECT_FALSE(with.at(2).toObject().contains(u"reasoning_content"_s));
}

TEST(RequestBody, KeepsTheRestOfTheBody)
{
    ChatRequest request = conversationWithReasoning();
    request.temperature = 0.5;
    ProviderProfile profile;
    profile.includeUsage = false;
    profile.sendReasoning = true;

    const QJsonObject body = RequestBody::make(request, profile);

    EXPECT_EQ(body[u"model"_s].toString(), u"deepseek-reasoner"_s);
    EXPECT_TRUE(body[u"stream"_s].toBool());
    EXPECT_FALSE(body.contains(u"stream_options"_s));
    EXPECT_DOUBLE_EQ(body[u"temperature"_s].toDouble(), 0.5);
}

TEST(NetworkPool, KeysManagersByProxy)
{
    NetworkPool pool;
    const ProxySettings socks{ProxySettings::Type::Socks5, u"127.0.0.1"_s, 1080, u"u"_s, u"p"_s};

    QNetworkAccessManager *plainA = pool.acquire();
    QNetworkAccessManager *plainB = pool.acquire();
    QNetworkAccessManager *proxied = pool.acquire(socks);

    EXPECT_EQ(plainA, plainB);
    EXPECT_NE(plainA, proxied);
    EXPECT_EQ(plainA->proxy().type(), QNetworkProxy::DefaultProxy);
    EXPECT_EQ(proxied->proxy().type(), QNetworkProxy::Socks5Proxy);
    EXPECT_EQ(proxied->proxy().port(), 1080);
    EXPECT_EQ(proxied->proxy().user(), u"u"_s);
    EXPECT_EQ(proxied->proxy().password(), u"p"_s);
    EXPECT_EQ(pool.managerCount(), 2);
}

TEST(NetworkPool, OpensAnotherManagerAfterSixStreamsOfOneProxy)
{
    NetworkPool pool;
    const ProxySettings none{ProxySettings::Type::None, {}, 0, {}, {}};
    QList<QNetworkAccessManager *> managers;

    for (int i = 0; i < NetworkPool::kStreamsPerManager + 1; ++i) {
        managers.append(pool.acquire(none));
    }

    EXPECT_EQ(pool.managerCount(), 2);
    EXPECT_NE(managers.first(), managers.last());
    EXPECT_EQ(managers.last()->proxy().type(), QNetworkProxy::NoProxy);
}

TEST(ProfilesFile, ReadsAProxyAndTheReasoningSwitch)
{
    qputenv("CHATQUEUE_TEST_PROXY_PASSWORD", "from-the-environment");
    const QByteArray json = R"({"profiles": [{"name": "kimi",
        "base_url": "https://api.moonshot.cn/v1", "send_reasoning": true,
        "proxy": "socks5://me@127.0.0.1:1080",
        "proxy_password_env": "CHATQUEUE_TEST_PROXY_PASSWORD"}]})";

    const auto entries = parseProfiles(json, u"test.json"_s);
    qunsetenv("CHATQUEUE_TEST_PROXY_PASSWORD");

    ASSERT_TRUE(entries.ok()) << qPrintable(entries.error());
    const ProviderProfile &profile = entries->first().profile;
    EXPECT_TRUE(profile.sendReasoning);
    EXPECT_EQ(profile.proxy.type, ProxySettings::Type::Socks5);
    EXPECT_EQ(profile.proxy.host, u"127.0.0.1"_s);
    EXPECT_EQ(profile.proxy.port, 1080);
    EXPECT_EQ(profile.proxy.user, u"me"_s);
    EXPECT_EQ(profile.proxy.password, u"from-the-environment"_s);
}

TEST(ProfilesFile, RefusesAProxyPasswordInTheFile)
{
    const QByteArray json = R"({"profiles": [{"name": "p", "base_url": "http://127.0.0.1:1/v1",
        "proxy": "http://me:secret@127.0.0.1:3128"}]})";

    const auto entries = parseProfiles(json, u"test.json"_s);

    ASSERT_FALSE(entries.ok());
    EXPECT_TRUE(entries.error().contains(u"proxy_password_env"_s));
}
