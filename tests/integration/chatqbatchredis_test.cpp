// chatq batch on a shared Redis queue: a real redis-server, a `chatq worker` process serving
// it, and the fake provider on loopback. The batch submits and follows jobs the worker runs.

#include <gtest/gtest.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "tests/integration/chatqprocess.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/redisserver.h"

using namespace Qt::StringLiterals;

namespace {

class ChatqBatchRedis : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_redis.start()) << m_redis.errorString().toStdString();
        ASSERT_TRUE(m_directory.isValid());
    }

    void TearDown() override
    {
        if (m_worker) {
            chatqprocess::terminate(*m_worker);
        }
    }

    void startWorker()
    {
        m_worker = chatqprocess::start({u"worker"_s,
                                        u"--queue"_s,
                                        m_redis.url(),
                                        u"--base-url"_s,
                                        m_provider.baseUrl().toString(),
                                        u"--concurrency"_s,
                                        u"4"_s});
    }

    QString writeInput(const QByteArray &jsonl)
    {
        const QString path = m_directory.filePath(u"in.jsonl"_s);
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(jsonl);
        return path;
    }

    QList<QJsonObject> readOutput()
    {
        QFile file(m_directory.filePath(u"out.jsonl"_s));
        EXPECT_TRUE(file.open(QIODevice::ReadOnly));
        QList<QJsonObject> results;
        for (const QByteArray &line : file.readAll().split('\n')) {
            if (!line.isEmpty()) {
                results.append(QJsonDocument::fromJson(line).object());
            }
        }
        return results;
    }

    chatqprocess::RunResult batch(const QString &input)
    {
        return chatqprocess::run({u"batch"_s,
                                  u"--queue"_s,
                                  m_redis.url(),
                                  u"--concurrency"_s,
                                  u"3"_s,
                                  u"--model"_s,
                                  u"test-model"_s,
                                  u"--output"_s,
                                  m_directory.filePath(u"out.jsonl"_s),
                                  input});
    }

    RedisServer m_redis;
    FakeProvider m_provider;
    QTemporaryDir m_directory;
    std::unique_ptr<QProcess> m_worker;
};

} // namespace

TEST_F(ChatqBatchRedis, RunsEveryRequestThroughTheWorker)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"from the fleet"_s));
    m_provider.setModelScenario(u"gone-model"_s, FakeProvider::Scenario::error(404));
    startWorker();
    QByteArray input;
    for (int line = 1; line <= 10; ++line) {
        input += line == 4 ? R"({"id": "gone", "prompt": "x", "model": "gone-model"})"
                           : u"{\"prompt\": \"question %1\"}"_s.arg(line).toUtf8();
        input += '\n';
    }
    const QString inputPath = writeInput(input);

    const auto first = batch(inputPath);
    const auto again = batch(inputPath);

    EXPECT_EQ(first.exitCode, 3) << first.err.toStdString();
    const QList<QJsonObject> results = readOutput();
    ASSERT_EQ(results.size(), 10);
    for (const QJsonObject &result : results) {
        if (result[u"id"_s].toString() == u"gone"_s) {
            EXPECT_EQ(result[u"status"_s].toString(), u"failed"_s);
            EXPECT_EQ(result[u"error"_s][u"kind"_s].toString(), u"not_found"_s);
        } else {
            EXPECT_EQ(result[u"status"_s].toString(), u"succeeded"_s);
            EXPECT_EQ(result[u"content"_s].toString(), u"from the fleet"_s);
            EXPECT_EQ(result[u"id"_s].toInt(), result[u"line"_s].toInt());
        }
    }
    EXPECT_EQ(m_provider.requestCount(), 10);
    EXPECT_EQ(again.exitCode, 3) << again.err.toStdString();
    EXPECT_EQ(m_provider.requestCount(), 10);
}
