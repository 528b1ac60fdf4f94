// docs/examples/submit_job.py, run with Debian's python3-redis against a private
// redis-server, answered by an in-process worker pool streaming from the fake provider.

#include "core/redis/redisbackend.h"
#include "core/settings/profileregistry.h"
#include "core/worker/workerpool.h"

#include <gtest/gtest.h>

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTimer>

#include "tests/integration/awaittask.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/redisserver.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr char kPython[] = "/usr/bin/python3";

QByteArray sseChunk(const QString &content, const QString &finishReason = {})
{
    QJsonObject delta{{u"content"_s, content}};
    QJsonObject choice{{u"index"_s, 0}, {u"delta"_s, delta}};
    if (!finishReason.isEmpty()) {
        choice.insert(u"finish_reason"_s, finishReason);
    }
    const QJsonObject chunk{{u"choices"_s, QJsonArray{choice}}};
    return "data: " + QJsonDocument(chunk).toJson(QJsonDocument::Compact) + "\n\n";
}

bool pythonHasRedis()
{
    QProcess probe;
    probe.start(QString::fromLatin1(kPython), {u"-c"_s, u"import redis"_s});
    return probe.waitForFinished(20'000) && probe.exitCode() == 0;
}

} // namespace

TEST(RedisPythonExample, SubmitsAJobAndPrintsItsAnswer)
{
    ASSERT_TRUE(pythonHasRedis()) << "python3-redis is missing: apt-get install python3-redis";
    RedisServer server;
    ASSERT_TRUE(server.start()) << server.errorString().toStdString();
    FakeProvider provider;
    provider.setDefaultScenario(FakeProvider::Scenario::stream(
            sseChunk(u"你好, "_s) + sseChunk(u"from the queue"_s, u"stop"_s) + "data: [DONE]\n\n"));
    auto profiles = std::make_shared<ProfileRegistry>();
    ProviderProfile profile;
    profile.name = u"default"_s;
    profile.baseUrl = provider.baseUrl();
    profiles->insert(profile);
    auto backend = openRedisBackend(server.url() + u"?prefix=example:"_s);
    ASSERT_TRUE(backend.ok()) << backend.error().message.toStdString();
    WorkerPoolOptions options;
    options.threads = 1;
    options.serveAnyProfile = false;
    WorkerPool pool(*backend, profiles, options);
    pool.start();

    QProcess script;
    script.start(QString::fromLatin1(kPython),
                 {QStringLiteral(CHATQUEUE_SOURCE_DIR "/docs/examples/submit_job.py"),
                  u"--url"_s,
                  u"redis://127.0.0.1:%1/0"_s.arg(server.port()),
                  u"--prefix"_s,
                  u"example:"_s,
                  u"--model"_s,
                  u"fake-model"_s,
                  u"--timeout"_s,
                  u"60"_s,
                  u"今天有哪些新闻"_s});
    QEventLoop loop;
    QObject::connect(&script, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(90s, &loop, &QEventLoop::quit);
    if (script.state() != QProcess::NotRunning) {
        loop.exec();
    }
    awaitTask(pool.stop(5s));

    ASSERT_EQ(script.state(), QProcess::NotRunning) << "the example did not finish";
    const QString out = QString::fromUtf8(script.readAllStandardOutput());
    const QString err = QString::fromUtf8(script.readAllStandardError());
    EXPECT_EQ(script.exitCode(), 0) << err.toStdString();
    EXPECT_EQ(out.trimmed(), u"你好, from the queue"_s) << err.toStdString();
    EXPECT_TRUE(err.contains(QRegularExpression(u"job [0-9a-f-]{36}"_s))) << err.toStdString();
    ASSERT_EQ(provider.requestCount(), 1);
    EXPECT_EQ(provider.requests().first().json.value(u"model"_s).toString(), u"fake-model"_s);
}
