// The conversation history in a real SQLite file: round trips, search (Chinese included),
// rename, pin order, delete and restore, persistence across reopening, and answers written
// while they stream from the fake provider through the in-process queue and worker pool.

#include "core/store/historystore.h"

#include "core/queue/jobqueue.h"
#include "core/settings/profileregistry.h"
#include "core/store/conversationexport.h"
#include "core/store/historyrecorder.h"
#include "core/worker/workerpool.h"

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "tests/integration/awaittask.h"
#include "tests/support/fakeprovider.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr int kWaitMs = 20000;

class HistoryStoreTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        reopen();
    }

    void reopen()
    {
        m_store.reset();
        auto opened = HistoryStore::open(m_dir.filePath(u"history.sqlite"_s));
        ASSERT_TRUE(opened.ok()) << qPrintable(opened.error());
        m_store = std::move(opened).value();
    }

    qint64 conversationWith(const QString &title, const QStringList &texts = {})
    {
        const auto created = m_store->createConversation(title);
        EXPECT_TRUE(created.ok()) << qPrintable(created.error());
        const qint64 id = created ? created->id : 0;
        for (const QString &text : texts) {
            HistoryMessage message;
            message.conversationId = id;
            message.role = u"user"_s;
            message.content = text;
            EXPECT_TRUE(m_store->addMessage(message).ok());
        }
        return id;
    }

    QList<QString> titles(const QList<Conversation> &conversations) const
    {
        QList<QString> result;
        for (const Conversation &conversation : conversations) {
            result.append(conversation.title);
        }
        return result;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<HistoryStore> m_store;
};

TEST_F(HistoryStoreTest, MessagesRoundTripInOrder)
{
    const auto created = m_store->createConversation(u"Trip"_s, u"Be brief."_s, u"m1"_s);
    ASSERT_TRUE(created.ok());
    HistoryMessage question;
    question.conversationId = created->id;
    question.role = u"user"_s;
    question.content = u"Where to go?"_s;
    HistoryMessage answer = question;
    answer.role = u"assistant"_s;
    answer.content = u"Hangzhou."_s;
    answer.reasoning = u"West Lake is nice."_s;
    answer.jobId = u"job-1"_s;
    answer.status = u"succeeded"_s;
    answer.usage = QJsonObject{{u"completion_tokens"_s, 3}};

    const auto first = m_store->addMessage(question);
    const auto second = m_store->addMessage(answer);
    const QList<HistoryMessage> messages = m_store->messages(created->id);
    const std::optional<Conversation> stored = m_store->conversation(created->id);

    ASSERT_TRUE(first.ok()) << qPrintable(first.error());
    ASSERT_TRUE(second.ok());
    ASSERT_EQ(messages.size(), 2);
    EXPECT_EQ(messages[0].content, u"Where to go?"_s);
    EXPECT_EQ(messages[0].position, 0);
    EXPECT_EQ(messages[1].position, 1);
    EXPECT_EQ(messages[1].role, u"assistant"_s);
    EXPECT_EQ(messages[1].reasoning, u"West Lake is nice."_s);
    EXPECT_EQ(messages[1].jobId, u"job-1"_s);
    EXPECT_EQ(messages[1].status, u"succeeded"_s);
    EXPECT_EQ(messages[1].usage.value(u"completion_tokens"_s).toInt(), 3);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->systemPrompt, u"Be brief."_s);
    EXPECT_EQ(stored->model, u"m1"_s);
}

TEST_F(HistoryStoreTest, StreamingUpdatesReplaceTheText)
{
    const qint64 id = conversationWith(u"Stream"_s);
    HistoryMessage answer;
    answer.conversationId = id;
    answer.role = u"assistant"_s;
    answer.jobId = u"job-7"_s;
    answer.status = u"queued"_s;
    const auto added = m_store->addMessage(answer);
    ASSERT_TRUE(added.ok());

    ASSERT_TRUE(m_store->updateMessage(added->id, u"Hel"_s, u"th"_s, u"running"_s).ok());
    ASSERT_TRUE(m_store->updateMessage(added->id, u"Hello"_s, u"think"_s, u"running"_s).ok());
    reopen();
    const std::optional<HistoryMessage> stored = m_store->message(added->id);

    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->content, u"Hello"_s);
    EXPECT_EQ(stored->reasoning, u"think"_s);
    EXPECT_EQ(stored->status, u"running"_s);
    EXPECT_EQ(m_store->unfinishedMessages().size(), 1);
}

TEST_F(HistoryStoreTest, SearchFindsTitlesAndMessageTextInAnyCase)
{
    conversationWith(u"Groceries"_s, {u"Buy MILK and eggs"_s});
    conversationWith(u"天气预报"_s, {u"明天上海会下雨吗？"_s});
    conversationWith(u"Rust lifetimes"_s, {u"Explain borrowing"_s});

    const QList<QString> byText = titles(m_store->search(u"milk"_s));
    const QList<QString> byChinese = titles(m_store->search(u"上海"_s));
    const QList<QString> byChineseTitle = titles(m_store->search(u"天气"_s));
    const QList<QString> byTitle = titles(m_store->search(u"LIFETIME"_s));
    const QList<QString> none = titles(m_store->search(u"nothing here"_s));
    const qsizetype all = m_store->search(QString()).size();

    EXPECT_EQ(byText, QList<QString>{u"Groceries"_s});
    EXPECT_EQ(byChinese, QList<QString>{u"天气预报"_s});
    EXPECT_EQ(byChineseTitle, QList<QString>{u"天气预报"_s});
    EXPECT_EQ(byTitle, QList<QString>{u"Rust lifetimes"_s});
    EXPECT_TRUE(none.isEmpty());
    EXPECT_EQ(all, 3);
}

TEST_F(HistoryStoreTest, SearchTreatsWildcardsAsText)
{
    conversationWith(u"Discount"_s, {u"50% off"_s});
    conversationWith(u"Names"_s, {u"snake_case and 50 percent"_s});

    const QList<QString> percent = titles(m_store->search(u"50%"_s));
    const QList<QString> underscore = titles(m_store->search(u"e_c"_s));
    const QList<QString> backslash = titles(m_store->search(u"\\"_s));

    EXPECT_EQ(percent, QList<QString>{u"Discount"_s});
    EXPECT_EQ(underscore, QList<QString>{u"Names"_s});
    EXPECT_TRUE(backslash.isEmpty());
}

TEST_F(HistoryStoreTest, RenameChangesTheTitle)
{
    const qint64 id = conversationWith(u"Old"_s);

    ASSERT_TRUE(m_store->rename(id, u"新名字"_s).ok());

    EXPECT_EQ(m_store->conversation(id)->title, u"新名字"_s);
}

TEST_F(HistoryStoreTest, PinnedComeFirstThenNewest)
{
    const qint64 first = conversationWith(u"first"_s);
    conversationWith(u"second"_s);
    conversationWith(u"third"_s);

    const QList<QString> before = titles(m_store->conversations());
    ASSERT_TRUE(m_store->setPinned(first, true).ok());
    const QList<QString> pinned = titles(m_store->conversations());
    ASSERT_TRUE(m_store->setPinned(first, false).ok());
    const QList<QString> unpinned = titles(m_store->conversations());

    EXPECT_EQ(before, (QList<QString>{u"third"_s, u"second"_s, u"first"_s}));
    EXPECT_EQ(pinned, (QList<QString>{u"first"_s, u"third"_s, u"second"_s}));
    EXPECT_EQ(unpinned, before);
}

TEST_F(HistoryStoreTest, NewMessageMovesAConversationToTheTop)
{
    const qint64 older = conversationWith(u"older"_s);
    conversationWith(u"newer"_s);
    QTest::qWait(2); // two messages in the same millisecond would tie on time

    HistoryMessage message;
    message.conversationId = older;
    message.role = u"user"_s;
    message.content = u"again"_s;
    ASSERT_TRUE(m_store->addMessage(message).ok());

    EXPECT_EQ(titles(m_store->conversations()).first(), u"older"_s);
}

TEST_F(HistoryStoreTest, DeleteHidesAndRestoreBringsBack)
{
    const qint64 id = conversationWith(u"keep me"_s, {u"hello"_s});
    conversationWith(u"other"_s);

    ASSERT_TRUE(m_store->remove(id).ok());
    const QList<QString> afterDelete = titles(m_store->conversations());
    const QList<QString> searchAfterDelete = titles(m_store->search(u"hello"_s));
    ASSERT_TRUE(m_store->restore(id).ok());
    const QList<QString> afterRestore = titles(m_store->conversations());

    EXPECT_EQ(afterDelete, QList<QString>{u"other"_s});
    EXPECT_TRUE(searchAfterDelete.isEmpty());
    EXPECT_TRUE(afterRestore.contains(u"keep me"_s));
    EXPECT_EQ(m_store->messages(id).size(), 1);
}

TEST_F(HistoryStoreTest, PurgeRemovesMessagesForGood)
{
    const qint64 id = conversationWith(u"gone"_s, {u"a"_s, u"b"_s});
    ASSERT_TRUE(m_store->remove(id).ok());

    ASSERT_TRUE(m_store->purgeDeleted().ok());

    EXPECT_FALSE(m_store->conversation(id).has_value());
    EXPECT_TRUE(m_store->messages(id).isEmpty());
    EXPECT_FALSE(m_store->restore(id).ok() && m_store->conversation(id).has_value());
}

TEST_F(HistoryStoreTest, EverythingSurvivesReopening)
{
    const qint64 id = conversationWith(u"持久"_s, {u"第一条消息"_s});
    ASSERT_TRUE(m_store->setPinned(id, true).ok());

    reopen();
    const QList<Conversation> conversations = m_store->conversations();
    const QList<HistoryMessage> messages = m_store->messages(id);

    ASSERT_EQ(conversations.size(), 1);
    EXPECT_EQ(conversations.first().title, u"持久"_s);
    EXPECT_TRUE(conversations.first().pinned);
    ASSERT_EQ(messages.size(), 1);
    EXPECT_EQ(messages.first().content, u"第一条消息"_s);
}

TEST_F(HistoryStoreTest, TwoStoresOnOneFileUseTheirOwnConnections)
{
    const qint64 id = conversationWith(u"shared"_s);

    std::optional<Conversation> seen;
    {
        auto second = HistoryStore::open(m_dir.filePath(u"history.sqlite"_s));
        ASSERT_TRUE(second.ok());
        seen = (*second)->conversation(id);
    }

    ASSERT_TRUE(seen.has_value());
    EXPECT_EQ(seen->title, u"shared"_s);
    EXPECT_EQ(m_store->conversation(id)->title, u"shared"_s);
}

TEST_F(HistoryStoreTest, ExportedJsonImportsBackAsANewConversation)
{
    const qint64 id = conversationWith(u"导出测试"_s, {u"你好，世界"_s});
    HistoryMessage answer;
    answer.conversationId = id;
    answer.role = u"assistant"_s;
    answer.content = u"**Hi**"_s;
    answer.reasoning = u"先打招呼"_s;
    answer.jobId = u"job-9"_s;
    answer.status = u"running"_s;
    ASSERT_TRUE(m_store->addMessage(answer).ok());
    ASSERT_TRUE(m_store->setPinned(id, true).ok());
    const ConversationExport exported{*m_store->conversation(id), m_store->messages(id)};

    const auto parsed = ConversationExport::fromJson(exported.toJson());
    ASSERT_TRUE(parsed.ok()) << qPrintable(parsed.error());
    const auto imported = m_store->importConversation(parsed->conversation, parsed->messages);
    ASSERT_TRUE(imported.ok()) << qPrintable(imported.error());
    const QList<HistoryMessage> messages = m_store->messages(imported->id);

    EXPECT_NE(imported->id, id);
    EXPECT_EQ(m_store->conversation(imported->id)->title, u"导出测试"_s);
    EXPECT_TRUE(m_store->conversation(imported->id)->pinned);
    ASSERT_EQ(messages.size(), 2);
    EXPECT_EQ(messages[0].content, u"你好，世界"_s);
    EXPECT_EQ(messages[1].reasoning, u"先打招呼"_s);
    EXPECT_EQ(messages[1].status, u"cancelled"_s);
    EXPECT_TRUE(messages[1].jobId.isEmpty());
    EXPECT_EQ(m_store->unfinishedMessages().size(), 1); // the original, not the copy
}

TEST_F(HistoryStoreTest, ImportRefusesOtherJson)
{
    const auto notJson = ConversationExport::fromJson("not json");
    const auto otherFormat = ConversationExport::fromJson(R"({"format": "other"})");
    const auto badRole = ConversationExport::fromJson(
            R"({"format": "chatqueue.conversation", "version": 1,
                "messages": [{"role": "system", "content": "x"}]})");

    EXPECT_FALSE(notJson.ok());
    EXPECT_FALSE(otherFormat.ok());
    EXPECT_FALSE(badRole.ok());
}

TEST_F(HistoryStoreTest, MarkdownExportHasTitleTurnsAndQuotedReasoning)
{
    Conversation conversation;
    conversation.title = u"Tea"_s;
    conversation.systemPrompt = u"Be brief."_s;
    HistoryMessage question;
    question.role = u"user"_s;
    question.content = u"Which tea?"_s;
    HistoryMessage answer;
    answer.role = u"assistant"_s;
    answer.content = u"Longjing."_s;
    answer.reasoning = u"Green\nand local"_s;

    const QString markdown = ConversationExport{conversation, {question, answer}}.toMarkdown();

    EXPECT_TRUE(markdown.startsWith(u"# Tea\n"_s)) << qPrintable(markdown);
    EXPECT_TRUE(markdown.contains(u"> Be brief."_s));
    EXPECT_TRUE(markdown.contains(u"## User\n\nWhich tea?"_s));
    EXPECT_TRUE(markdown.contains(u"> Green\n> and local\n\nLongjing."_s));
}

// The recorder against the real queue, workers and a provider on loopback.
class HistoryRecorderTest : public HistoryStoreTest
{
protected:
    void SetUp() override
    {
        HistoryStoreTest::SetUp();
        m_backend = openQueueBackend(u"memory"_s, QString()).value();
        m_client = m_backend->connect();
        ProviderProfile profile;
        profile.name = u"default"_s;
        profile.baseUrl = m_provider.baseUrl();
        m_profiles->insert(profile);
        m_pool = std::make_unique<WorkerPool>(m_backend, m_profiles);
        m_pool->start();
    }

    void TearDown() override { m_pool.reset(); }

    // A conversation with one queued answer for a new job; the answer's message id.
    std::pair<qint64, QString> submitAnswer()
    {
        ChatRequest request;
        request.profile = u"default"_s;
        request.model = u"fake-model"_s;
        request.messages.append(ChatMessage{u"user"_s, u"Go on."_s, QString()});
        const QueueResult<QString> job = awaitTask(m_client->submit(request));
        EXPECT_TRUE(job.ok());

        HistoryMessage answer;
        answer.conversationId = conversationWith(u"streamed"_s, {u"Go on."_s});
        answer.role = u"assistant"_s;
        answer.jobId = job ? *job : QString();
        answer.status = u"queued"_s;
        const auto added = m_store->addMessage(answer);
        EXPECT_TRUE(added.ok());
        return {added ? added->id : 0, answer.jobId};
    }

    QString storedContent(qint64 messageId) const
    {
        const std::optional<HistoryMessage> message = m_store->message(messageId);
        return message ? message->content : QString();
    }

    FakeProvider m_provider;
    std::shared_ptr<QueueBackend> m_backend;
    std::unique_ptr<JobQueue> m_client;
    std::shared_ptr<ProfileRegistry> m_profiles = std::make_shared<ProfileRegistry>();
    std::unique_ptr<WorkerPool> m_pool;
};

QString words(int count)
{
    QStringList list;
    for (int i = 0; i < count; ++i) {
        list.append(u"词%1"_s.arg(i));
    }
    return list.join(u' ');
}

TEST_F(HistoryRecorderTest, AnswerIsWrittenWhileItStreams)
{
    const QString content = words(300);
    m_provider.setDefaultScenario(FakeProvider::contentScenario(content, 6).inChunks(256, 15ms));
    HistoryRecorder recorder(m_client.get(), m_store.get());
    QSignalSpy finished(&recorder, &HistoryRecorder::messageFinished);
    const auto [messageId, jobId] = submitAnswer();

    recorder.record(jobId, messageId);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !storedContent(messageId).isEmpty(); }, kWaitMs));
    const QString partial = storedContent(messageId);
    const QString partialStatus = m_store->message(messageId)->status;
    ASSERT_TRUE(!finished.isEmpty() || finished.wait(kWaitMs));
    const std::optional<HistoryMessage> final = m_store->message(messageId);

    EXPECT_LT(partial.size(), content.size());
    EXPECT_TRUE(content.startsWith(partial));
    EXPECT_EQ(partialStatus, u"running"_s);
    ASSERT_TRUE(final.has_value());
    EXPECT_EQ(final->content, content);
    EXPECT_EQ(final->status, u"succeeded"_s);
    EXPECT_GT(final->timings.value(u"finished_at_ms"_s).toInteger(), 0);
    EXPECT_FALSE(recorder.isRecording(messageId));
}

TEST_F(HistoryRecorderTest, UnfinishedAnswersResumeInANewRecorder)
{
    const QString content = words(120);
    m_provider.setDefaultScenario(FakeProvider::contentScenario(content, 6).inChunks(256, 10ms));
    const auto [messageId, jobId] = submitAnswer();
    HistoryRecorder recorder(m_client.get(), m_store.get());
    QSignalSpy finished(&recorder, &HistoryRecorder::messageFinished);

    const int resumed = recorder.resumeUnfinished();
    ASSERT_TRUE(!finished.isEmpty() || finished.wait(kWaitMs));

    EXPECT_EQ(resumed, 1);
    EXPECT_EQ(storedContent(messageId), content);
    EXPECT_TRUE(m_store->unfinishedMessages().isEmpty());
}

TEST_F(HistoryRecorderTest, AnswerOfAnUnknownJobEndsAsFailed)
{
    const qint64 id = conversationWith(u"lost"_s);
    HistoryMessage answer;
    answer.conversationId = id;
    answer.role = u"assistant"_s;
    answer.jobId = u"no-such-job"_s;
    answer.status = u"running"_s;
    const auto added = m_store->addMessage(answer);
    ASSERT_TRUE(added.ok());
    HistoryRecorder recorder(m_client.get(), m_store.get());
    QSignalSpy finished(&recorder, &HistoryRecorder::messageFinished);

    recorder.resumeUnfinished();
    ASSERT_TRUE(!finished.isEmpty() || finished.wait(kWaitMs));

    EXPECT_EQ(m_store->message(added->id)->status, u"failed"_s);
}

} // namespace
