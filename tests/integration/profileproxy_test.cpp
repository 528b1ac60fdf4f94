// Profiles as the worker pool applies them, over real loopback HTTP: a profile's SOCKS5
// proxy carries its streams (and only its streams) with the proxy login, an Azure profile
// sends its key header and api-version, the reasoning of earlier turns goes back only for a
// profile that asks for it, and no secret reaches the log.

#include "core/queue/jobqueue.h"
#include "core/queue/jobwatcher.h"
#include "core/settings/appsettings.h"
#include "core/settings/profileregistry.h"
#include "core/worker/workerpool.h"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>
#include <QTemporaryDir>

#include "tests/integration/awaittask.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/httpproxy.h"
#include "tests/support/socks5proxy.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr std::chrono::milliseconds kJobTimeout = 30s;

const QString kProxyUser = u"proxy-user"_s;
const QString kProxyPassword = u"proxy-pass-7f3a9c"_s;
const QString kApiKey = u"sk-profile-test-key-5e1b"_s;

// Every message logged while one lives, from any thread.
class LogCapture
{
public:
    LogCapture()
    {
        QLoggingCategory::setFilterRules(u"chatqueue.*=true"_s);
        s_self = this;
        m_previous = qInstallMessageHandler(&LogCapture::handle);
    }

    ~LogCapture()
    {
        qInstallMessageHandler(m_previous);
        s_self = nullptr;
        QLoggingCategory::setFilterRules(QString());
    }

    QString text() const
    {
        QMutexLocker locker(&m_mutex);
        return m_text;
    }

private:
    static void handle(QtMsgType, const QMessageLogContext &, const QString &message)
    {
        if (LogCapture *self = s_self) {
            QMutexLocker locker(&self->m_mutex);
            self->m_text += message + u'\n';
        }
    }

    static inline LogCapture *s_self = nullptr;
    QtMessageHandler m_previous = nullptr;
    mutable QMutex m_mutex;
    QString m_text;
};

ChatRequest requestFor(const QString &profile)
{
    ChatRequest request;
    request.profile = profile;
    request.model = u"fake-model"_s;
    request.messages = {
            ChatMessage{u"user"_s, u"First question"_s, {}},
            ChatMessage{u"assistant"_s, u"First answer"_s, u"I thought about it."_s},
            ChatMessage{u"user"_s, u"Second question"_s, {}},
    };
    return request;
}

class ProfileProxyTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_backend = openQueueBackend(u"memory"_s, QString()).value();
        m_client = m_backend->connect();
        m_provider.setDefaultScenario(FakeProvider::contentScenario(u"Through the wire"_s));
    }

    ProviderProfile profile(const QString &name)
    {
        ProviderProfile profile;
        profile.name = name;
        profile.baseUrl = m_provider.baseUrl();
        profile.apiKey = kApiKey;
        profile.retry.maxAttempts = 1;
        return profile;
    }

    ProxySettings socks(const QString &password = kProxyPassword) const
    {
        return ProxySettings{ProxySettings::Type::Socks5,
                             u"127.0.0.1"_s,
                             m_proxy.port(),
                             kProxyUser,
                             password};
    }

    void startPool()
    {
        WorkerPoolOptions options;
        options.threads = 1;
        options.workerName = u"profiles"_s;
        m_pool = std::make_unique<WorkerPool>(m_backend, m_profiles, options);
        m_pool->start();
    }

    JobRecord run(const ChatRequest &request)
    {
        const QueueResult<QString> id = awaitTask(m_client->submit(request));
        if (!id) {
            ADD_FAILURE() << "submit failed";
            return {};
        }
        JobWatcher watcher(m_client.get(), *id);
        QSignalSpy finished(&watcher, &JobWatcher::finished);
        watcher.start();
        if (finished.isEmpty() && !finished.wait(int(kJobTimeout.count()))) {
            ADD_FAILURE() << "the job did not end in time";
            return {};
        }
        return finished.first().first().value<JobRecord>();
    }

    FakeProvider m_provider;
    Socks5Proxy m_proxy{kProxyUser, kProxyPassword};
    std::shared_ptr<QueueBackend> m_backend;
    std::unique_ptr<JobQueue> m_client;
    std::shared_ptr<ProfileRegistry> m_profiles = std::make_shared<ProfileRegistry>();
    std::unique_ptr<WorkerPool> m_pool;
};

} // namespace

TEST_F(ProfileProxyTest, StreamsOfAProxiedProfileGoThroughItsProxyAndOthersDoNot)
{
    ProviderProfile proxied = profile(u"proxied"_s);
    proxied.proxy = socks();
    ProviderProfile direct = profile(u"direct"_s);
    direct.proxy.type = ProxySettings::Type::None;
    m_profiles->insert(proxied);
    m_profiles->insert(direct);
    startPool();

    const JobRecord throughProxy = run(requestFor(u"proxied"_s));
    const int tunnelsAfterProxied = m_proxy.tunnelCount();
    const JobRecord withoutProxy = run(requestFor(u"direct"_s));

    EXPECT_EQ(throughProxy.status, JobStatus::Succeeded);
    EXPECT_EQ(throughProxy.content, u"Through the wire"_s);
    EXPECT_EQ(tunnelsAfterProxied, 1);
    EXPECT_EQ(withoutProxy.status, JobStatus::Succeeded);
    EXPECT_EQ(m_proxy.tunnelCount(), 1);
    EXPECT_EQ(m_proxy.connectionCount(), 1);
    EXPECT_EQ(m_proxy.refusedLogins(), 0);
    EXPECT_EQ(m_provider.requestCount(), 2);
}

TEST_F(ProfileProxyTest, StreamsOfAProfileWithAnHttpProxyGoThroughIt)
{
    HttpProxy httpProxy(kProxyUser, kProxyPassword);
    ProviderProfile proxied = profile(u"http-proxied"_s);
    proxied.proxy = ProxySettings{ProxySettings::Type::Http,
                                  u"127.0.0.1"_s,
                                  httpProxy.port(),
                                  kProxyUser,
                                  kProxyPassword};
    m_profiles->insert(proxied);
    startPool();

    const JobRecord result = run(requestFor(u"http-proxied"_s));

    EXPECT_EQ(result.status, JobStatus::Succeeded);
    EXPECT_EQ(result.content, u"Through the wire"_s);
    EXPECT_EQ(httpProxy.forwardedCount(), 1);
    EXPECT_EQ(httpProxy.refusedLogins(), 0);
    ASSERT_EQ(m_provider.requests().size(), 1);
    EXPECT_EQ(m_provider.requests().first().path, u"/v1/chat/completions"_s);
    EXPECT_FALSE(m_provider.requests().first().hasHeader("proxy-authorization"));
}

TEST_F(ProfileProxyTest, AWrongProxyPasswordStopsTheStreamAtTheProxy)
{
    ProviderProfile proxied = profile(u"proxied"_s);
    proxied.proxy = socks(u"not-the-password"_s);
    m_profiles->insert(proxied);
    startPool();

    const JobRecord result = run(requestFor(u"proxied"_s));

    EXPECT_EQ(result.status, JobStatus::Failed);
    ASSERT_TRUE(result.error.has_value());
    EXPECT_EQ(result.error->kind, ErrorKind::Network);
    EXPECT_GE(m_proxy.refusedLogins(), 1);
    EXPECT_EQ(m_proxy.tunnelCount(), 0);
    EXPECT_EQ(m_provider.requestCount(), 0);
}

TEST_F(ProfileProxyTest, NoKeyOrProxyPasswordReachesTheLog)
{
    ProviderProfile proxied = profile(u"proxied"_s);
    proxied.proxy = socks();
    m_profiles->insert(proxied);
    LogCapture log;
    startPool();

    const JobRecord result = run(requestFor(u"proxied"_s));
    m_pool.reset();
    const QString logged = log.text();

    EXPECT_EQ(result.status, JobStatus::Succeeded);
    EXPECT_FALSE(logged.isEmpty());
    EXPECT_FALSE(logged.contains(kApiKey));
    EXPECT_FALSE(logged.contains(kProxyPassword));
    EXPECT_FALSE(logged.contains(u"Bearer"_s, Qt::CaseInsensitive));
}

TEST_F(ProfileProxyTest, AzureProfileFromTheSettingsSendsItsHeaderAndApiVersion)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    AppSettings settings(dir.filePath(u"settings.ini"_s));
    ProfileSettings azure;
    azure.name = u"azure"_s;
    azure.presetId = u"azure-openai"_s;
    azure.baseUrl = QUrl(m_provider.baseUrl().toString() + u"/openai/deployments/gpt4o"_s);
    azure.apiKeyHeader = u"api-key"_s;
    azure.apiVersion = u"2024-10-21"_s;
    azure.proxy.type = ProxySettings::Type::None;
    settings.setProfiles({azure});
    m_profiles->insert(settings.profiles().first().toProviderProfile(kApiKey, QString()));
    startPool();

    const JobRecord result = run(requestFor(u"azure"_s));

    EXPECT_EQ(result.status, JobStatus::Succeeded);
    ASSERT_EQ(m_provider.requests().size(), 1);
    const FakeProvider::Request request = m_provider.requests().first();
    EXPECT_EQ(request.path,
              u"/v1/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21"_s);
    EXPECT_EQ(request.header("api-key"), kApiKey.toUtf8());
    EXPECT_FALSE(request.hasHeader("authorization"));
}

TEST_F(ProfileProxyTest, ReasoningGoesBackOnlyForAProfileThatAsks)
{
    ProviderProfile sendsBack = profile(u"sends-back"_s);
    sendsBack.sendReasoning = true;
    m_profiles->insert(sendsBack);
    m_profiles->insert(profile(u"plain"_s));
    startPool();

    const JobRecord first = run(requestFor(u"sends-back"_s));
    const JobRecord second = run(requestFor(u"plain"_s));

    EXPECT_EQ(first.status, JobStatus::Succeeded);
    EXPECT_EQ(second.status, JobStatus::Succeeded);
    ASSERT_EQ(m_provider.requests().size(), 2);
    const QJsonArray withReasoning =
            m_provider.requests().at(0).json.value(u"messages"_s).toArray();
    const QJsonArray without = m_provider.requests().at(1).json.value(u"messages"_s).toArray();
    ASSERT_EQ(withReasoning.size(), 3);
    ASSERT_EQ(without.size(), 3);
    EXPECT_EQ(withReasoning.at(1)[u"reasoning_content"_s].toString(), u"I thought about it."_s);
    EXPECT_FALSE(without.at(1).toObject().contains(u"reasoning_content"_s));
}
