// The conversation history in a real SQLite file: round trips, search (Chinese included),
// rename, pin order, delete and restore, persistence across reopening, versions of messages
// (regenerate, edit and resend, paging, deleting), conversation settings, the upgrade of a
// file of the first schema, and answers written while they stream from the fake provider
// through the in-process queue and worker pool.

#include "core/store/historystore.h"

#include "core/queue/jobqueue.h"
#include "core/settings/profileregistry.h"
#include "core/store/conversationexport.h"
#include "core/store/historyrecorder.h"
#include "core/worker/workerpool.h"

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
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

    // Stores a turn under `parentId`; its id, or 0 on failure.
    qint64
    reply(qint64 conversationId, const QString &role, const QString &content, qint64 parentId)
    {
        HistoryMessage message;
        message.conversationId = conversationId;
        message.role = role;
        message.content = content;
        const auto added = m_store->addReply(message, parentId);
        EXPECT_TRUE(added.ok()) << qPrintable(added.error());
        return added ? added->id : 0;
    }

    // Appends a turn after the shown path; its id, or 0 on failure.
    qint64 append(qint64 conversationId, const QString &role, const QString &content)
    {
        HistoryMessage message;
        message.conversationId = conversationId;
        message.role = role;
        message.content = content;
        const auto added = m_store->addMessage(message);
        EXPECT_TRUE(added.ok()) << qPrintable(added.error());
        return added ? added->id : 0;
    }

    QList<QString> shownTexts(qint64 conversationId) const
    {
        QList<QString> result;
        for (const HistoryMessage &message : m_store->messages(conversationId)) {
            result.append(message.content);
        }
        return result;
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

TEST_F(HistoryStoreTest, RegeneratingTwiceKeepsThreeVersionsAndShowsTheNewest)
{
    const qint64 id = conversationWith(u"versions"_s);
    const qint64 prompt = append(id, u"user"_s, u"Name a river."_s);
    append(id, u"assistant"_s, u"Yangtze."_s);

    reply(id, u"assistant"_s, u"Nile."_s, prompt);
    const qint64 newest = reply(id, u"assistant"_s, u"Danube."_s, prompt);
    const QList<HistoryMessage> shown = m_store->messages(id);
    const QList<HistoryMessage> versions = m_store->versions(newest);

    ASSERT_EQ(shown.size(), 2);
    EXPECT_EQ(shown[1].id, newest);
    EXPECT_EQ(shown[1].content, u"Danube."_s);
    EXPECT_EQ(shown[1].versionIndex, 2);
    EXPECT_EQ(shown[1].versionCount, 3);
    EXPECT_EQ(shown[1].parentId, prompt);
    EXPECT_EQ(shown[1].position, 1);
    EXPECT_EQ(shown[0].versionCount, 1);
    ASSERT_EQ(versions.size(), 3);
    EXPECT_EQ(versions[0].content, u"Yangtze."_s);
    EXPECT_EQ(versions[1].content, u"Nile."_s);
    EXPECT_EQ(versions[2].id, newest);
    EXPECT_EQ(versions[0].versionIndex, 0);
    EXPECT_EQ(versions[0].versionCount, 3);
}

TEST_F(HistoryStoreTest, SelectingAnOlderVersionShowsItsOwnFollowUps)
{
    const qint64 id = conversationWith(u"paging"_s);
    const qint64 prompt = append(id, u"user"_s, u"Q1"_s);
    const qint64 first = append(id, u"assistant"_s, u"A1"_s);
    append(id, u"user"_s, u"Q2 after A1"_s);
    append(id, u"assistant"_s, u"A2 after A1"_s);
    const qint64 second = reply(id, u"assistant"_s, u"A1 again"_s, prompt);
    append(id, u"user"_s, u"Q2 after A1 again"_s);
    const QList<QString> beforePaging = shownTexts(id);

    ASSERT_TRUE(m_store->selectVersion(first).ok());
    const QList<QString> pagedBack = shownTexts(id);
    const std::optional<HistoryMessage> firstRead = m_store->message(first);
    ASSERT_TRUE(m_store->selectVersion(second).ok());
    const QList<QString> pagedForward = shownTexts(id);

    EXPECT_EQ(beforePaging, (QList<QString>{u"Q1"_s, u"A1 again"_s, u"Q2 after A1 again"_s}));
    EXPECT_EQ(pagedBack, (QList<QString>{u"Q1"_s, u"A1"_s, u"Q2 after A1"_s, u"A2 after A1"_s}));
    EXPECT_EQ(pagedForward, beforePaging);
    ASSERT_TRUE(firstRead.has_value());
    EXPECT_EQ(firstRead->versionIndex, 0);
    EXPECT_EQ(firstRead->versionCount, 2);
}

TEST_F(HistoryStoreTest, SelectingAVersionInAHiddenBranchShowsTheBranch)
{
    const qint64 id = conversationWith(u"hidden"_s);
    const qint64 prompt = append(id, u"user"_s, u"Q"_s);
    const qint64 oldAnswer = append(id, u"assistant"_s, u"A"_s);
    const qint64 followUp = append(id, u"user"_s, u"Q2"_s);
    append(id, u"assistant"_s, u"A2"_s);
    const qint64 hiddenVersion = reply(id, u"assistant"_s, u"A2 again"_s, followUp);
    reply(id, u"assistant"_s, u"B"_s, prompt);

    ASSERT_TRUE(m_store->selectVersion(hiddenVersion).ok());

    EXPECT_EQ(shownTexts(id), (QList<QString>{u"Q"_s, u"A"_s, u"Q2"_s, u"A2 again"_s}));
    EXPECT_EQ(m_store->messages(id)[1].id, oldAnswer);
}

TEST_F(HistoryStoreTest, EditAndResendKeepsTheOldPromptAndItsAnswers)
{
    const qint64 id = conversationWith(u"edit"_s);
    const qint64 question = append(id, u"user"_s, u"Q1"_s);
    append(id, u"assistant"_s, u"A1"_s);
    const qint64 oldPrompt = append(id, u"user"_s, u"Q2 typo"_s);
    append(id, u"assistant"_s, u"A2 confused"_s);

    const qint64 editedPrompt = reply(id, u"user"_s, u"Q2 fixed"_s, m_store->messages(id)[1].id);
    reply(id, u"assistant"_s, u"A2 clear"_s, editedPrompt);
    const QList<QString> afterEdit = shownTexts(id);
    const QList<HistoryMessage> promptVersions = m_store->versions(editedPrompt);
    ASSERT_TRUE(m_store->selectVersion(oldPrompt).ok());
    const QList<QString> oldBranch = shownTexts(id);

    EXPECT_EQ(afterEdit, (QList<QString>{u"Q1"_s, u"A1"_s, u"Q2 fixed"_s, u"A2 clear"_s}));
    ASSERT_EQ(promptVersions.size(), 2);
    EXPECT_EQ(promptVersions[0].id, oldPrompt);
    EXPECT_EQ(oldBranch, (QList<QString>{u"Q1"_s, u"A1"_s, u"Q2 typo"_s, u"A2 confused"_s}));
    EXPECT_EQ(m_store->messages(id).first().id, question);
}

TEST_F(HistoryStoreTest, AppendingFollowsTheShownBranch)
{
    const qint64 id = conversationWith(u"append"_s);
    const qint64 prompt = append(id, u"user"_s, u"Q"_s);
    const qint64 first = append(id, u"assistant"_s, u"A"_s);
    reply(id, u"assistant"_s, u"B"_s, prompt);
    ASSERT_TRUE(m_store->selectVersion(first).ok());

    HistoryMessage next;
    next.conversationId = id;
    next.role = u"user"_s;
    next.content = u"after A"_s;
    next.parentId = 12345; // ignored by addMessage
    const auto added = m_store->addMessage(next);

    ASSERT_TRUE(added.ok()) << qPrintable(added.error());
    EXPECT_EQ(added->parentId, first);
    EXPECT_EQ(added->position, 2);
    EXPECT_EQ(shownTexts(id), (QList<QString>{u"Q"_s, u"A"_s, u"after A"_s}));
}

TEST_F(HistoryStoreTest, DeletingOneOfSeveralVersionsRemovesItsBranch)
{
    const qint64 id = conversationWith(u"delete version"_s);
    const qint64 prompt = append(id, u"user"_s, u"Q"_s);
    append(id, u"assistant"_s, u"A"_s);
    const qint64 regenerated = reply(id, u"assistant"_s, u"B"_s, prompt);
    const qint64 followUp = append(id, u"user"_s, u"after B"_s);

    ASSERT_TRUE(m_store->deleteMessage(regenerated).ok());

    EXPECT_EQ(shownTexts(id), (QList<QString>{u"Q"_s, u"A"_s}));
    EXPECT_FALSE(m_store->message(regenerated).has_value());
    EXPECT_FALSE(m_store->message(followUp).has_value());
    EXPECT_EQ(m_store->messages(id)[1].versionCount, 1);
}

TEST_F(HistoryStoreTest, DeletingTheOnlyVersionKeepsTheTurnsAfterIt)
{
    const qint64 id = conversationWith(u"delete one"_s);
    append(id, u"user"_s, u"Q1"_s);
    const qint64 firstAnswer = append(id, u"assistant"_s, u"A1"_s);
    const qint64 doomed = append(id, u"user"_s, u"Q2"_s);
    const qint64 answer = append(id, u"assistant"_s, u"A2"_s);
    const qint64 last = append(id, u"user"_s, u"Q3"_s);

    ASSERT_TRUE(m_store->deleteMessage(doomed).ok());
    const std::optional<HistoryMessage> moved = m_store->message(answer);

    EXPECT_EQ(shownTexts(id), (QList<QString>{u"Q1"_s, u"A1"_s, u"A2"_s, u"Q3"_s}));
    ASSERT_TRUE(moved.has_value());
    EXPECT_EQ(moved->parentId, firstAnswer);
    EXPECT_EQ(moved->position, 2);
    EXPECT_EQ(m_store->message(last)->position, 3);
}

TEST_F(HistoryStoreTest, DeletingTheFirstMessageMovesTheNextToTheRoot)
{
    const qint64 id = conversationWith(u"delete root"_s);
    const qint64 first = append(id, u"user"_s, u"Q1"_s);
    const qint64 answer = append(id, u"assistant"_s, u"A1"_s);

    ASSERT_TRUE(m_store->deleteMessage(first).ok());

    EXPECT_EQ(shownTexts(id), QList<QString>{u"A1"_s});
    EXPECT_EQ(m_store->message(answer)->parentId, 0);
    EXPECT_EQ(m_store->message(answer)->position, 0);
}

TEST_F(HistoryStoreTest, DeletingOrSelectingAnUnknownMessageFails)
{
    const qint64 id = conversationWith(u"unknown"_s, {u"hi"_s});

    const auto deleted = m_store->deleteMessage(987654);
    const auto selected = m_store->selectVersion(987654);

    EXPECT_FALSE(deleted.ok());
    EXPECT_FALSE(selected.ok());
    EXPECT_TRUE(m_store->versions(987654).isEmpty());
    EXPECT_EQ(shownTexts(id), QList<QString>{u"hi"_s});
}

TEST_F(HistoryStoreTest, ReplyUnderAForeignOrMissingParentFails)
{
    const qint64 mine = conversationWith(u"mine"_s);
    const qint64 other = conversationWith(u"other"_s);
    const qint64 foreignParent = append(other, u"user"_s, u"elsewhere"_s);
    HistoryMessage message;
    message.conversationId = mine;
    message.role = u"assistant"_s;
    message.content = u"misplaced"_s;

    const auto foreign = m_store->addReply(message, foreignParent);
    const auto missing = m_store->addReply(message, 987654);

    EXPECT_FALSE(foreign.ok());
    EXPECT_FALSE(missing.ok());
    EXPECT_TRUE(m_store->messages(mine).isEmpty());
    EXPECT_EQ(m_store->messages(other).size(), 1);
}

TEST_F(HistoryStoreTest, ReplyWithoutAConversationTakesTheParents)
{
    const qint64 id = conversationWith(u"inferred"_s);
    const qint64 prompt = append(id, u"user"_s, u"Q"_s);
    HistoryMessage message;
    message.role = u"assistant"_s;
    message.content = u"A"_s;

    const auto added = m_store->addReply(message, prompt);

    ASSERT_TRUE(added.ok()) << qPrintable(added.error());
    EXPECT_EQ(added->conversationId, id);
    EXPECT_EQ(shownTexts(id), (QList<QString>{u"Q"_s, u"A"_s}));
}

TEST_F(HistoryStoreTest, ConversationSettingsRoundTrip)
{
    const QJsonObject initial{{u"temperature"_s, 0.2}};
    const auto created = m_store->createConversation(u"settings"_s,
                                                     u"Be brief."_s,
                                                     u"m1"_s,
                                                     u"local"_s,
                                                     initial);
    ASSERT_TRUE(created.ok());
    const QJsonObject changed{{u"temperature"_s, 0.7},
                              {u"max_tokens"_s, 2048},
                              {u"reasoning_effort"_s, u"high"_s}};

    const std::optional<Conversation> first = m_store->conversation(created->id);
    const auto written = m_store->setConversationSettings(created->id,
                                                          u"remote"_s,
                                                          u"m2"_s,
                                                          u"Answer in Chinese."_s,
                                                          changed);
    reopen();
    const std::optional<Conversation> second = m_store->conversation(created->id);
    const auto unknown = m_store->setConversationSettings(987654, {}, {}, {}, {});

    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->profile, u"local"_s);
    EXPECT_EQ(first->parameters, initial);
    ASSERT_TRUE(written.ok()) << qPrintable(written.error());
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->profile, u"remote"_s);
    EXPECT_EQ(second->model, u"m2"_s);
    EXPECT_EQ(second->systemPrompt, u"Answer in Chinese."_s);
    EXPECT_EQ(second->parameters, changed);
    EXPECT_EQ(second->title, u"settings"_s);
    EXPECT_FALSE(unknown.ok());
}

TEST_F(HistoryStoreTest, FileOfTheFirstSchemaIsUpgradedInPlace)
{
    m_store.reset();
    const QString path = m_dir.filePath(u"old.sqlite"_s);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"old-schema"_s);
        db.setDatabaseName(path);
        ASSERT_TRUE(db.open());
        QSqlQuery query(db);
        // The tables as the first schema created them.
        const QStringList statements{
                u"CREATE TABLE conversations ("
                "id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL DEFAULT '', "
                "created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, "
                "pinned INTEGER NOT NULL DEFAULT 0, system_prompt TEXT NOT NULL DEFAULT '', "
                "model TEXT NOT NULL DEFAULT '', deleted_at INTEGER NOT NULL DEFAULT 0)"_s,
                u"CREATE TABLE messages ("
                "id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id INTEGER NOT NULL "
                "REFERENCES conversations(id) ON DELETE CASCADE, "
                "role TEXT NOT NULL, content TEXT NOT NULL DEFAULT '', "
                "reasoning TEXT NOT NULL DEFAULT '', job_id TEXT NOT NULL DEFAULT '', "
                "status TEXT NOT NULL DEFAULT '', usage TEXT NOT NULL DEFAULT '', "
                "timings TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, "
                "position INTEGER NOT NULL)"_s,
                u"CREATE INDEX messages_by_conversation ON messages(conversation_id, position)"_s,
                u"CREATE INDEX conversations_by_order "
                "ON conversations(deleted_at, pinned, updated_at)"_s,
                u"PRAGMA user_version=1"_s,
                u"INSERT INTO conversations (id, title, created_at, updated_at, model) "
                "VALUES (1, 'old one', 1000, 5000, 'm-old'), (2, 'old two', 2000, 3000, '')"_s,
                // Interleaved ids, as two conversations written in turns leave them.
                u"INSERT INTO messages (id, conversation_id, role, content, created_at, "
                "position) VALUES (1, 1, 'user', 'Q1', 1001, 0), "
                "(2, 2, 'user', 'other Q', 2001, 0), (3, 1, 'assistant', 'A1', 1002, 1), "
                "(4, 1, 'user', 'Q2', 1003, 2), (5, 2, 'assistant', 'other A', 2002, 1), "
                "(6, 1, 'assistant', 'A2', 1004, 3)"_s,
        };
        for (const QString &statement : statements) {
            ASSERT_TRUE(query.exec(statement)) << qPrintable(statement);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"old-schema"_s);

    auto opened = HistoryStore::open(path);
    ASSERT_TRUE(opened.ok()) << qPrintable(opened.error());
    m_store = std::move(opened).value();
    const QList<HistoryMessage> first = m_store->messages(1);
    const QList<HistoryMessage> second = m_store->messages(2);
    const QList<QString> listed = titles(m_store->conversations());
    const std::optional<Conversation> upgraded = m_store->conversation(1);
    const qint64 regenerated = reply(1, u"assistant"_s, u"A2 again"_s, 4);
    m_store.reset();
    auto again = HistoryStore::open(path);
    ASSERT_TRUE(again.ok()) << qPrintable(again.error());
    const QList<HistoryMessage> afterReopen = (*again)->messages(1);

    ASSERT_EQ(first.size(), 4);
    EXPECT_EQ(first[0].parentId, 0);
    EXPECT_EQ(first[1].parentId, 1);
    EXPECT_EQ(first[2].parentId, 3);
    EXPECT_EQ(first[3].parentId, 4);
    EXPECT_EQ(first[3].content, u"A2"_s);
    EXPECT_EQ(first[3].selectedAtMs, 1004);
    EXPECT_EQ(first[3].versionCount, 1);
    ASSERT_EQ(second.size(), 2);
    EXPECT_EQ(second[1].parentId, 2);
    EXPECT_EQ(listed, (QList<QString>{u"old one"_s, u"old two"_s}));
    ASSERT_TRUE(upgraded.has_value());
    EXPECT_EQ(upgraded->model, u"m-old"_s);
    EXPECT_TRUE(upgraded->profile.isEmpty());
    ASSERT_EQ(afterReopen.size(), 4);
    EXPECT_EQ(afterReopen[3].id, regenerated);
    EXPECT_EQ(afterReopen[3].versionCount, 2);
}

TEST_F(HistoryStoreTest, FileOfANewerSchemaIsRefused)
{
    m_store.reset();
    const QString path = m_dir.filePath(u"newer.sqlite"_s);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"newer-schema"_s);
        db.setDatabaseName(path);
        ASSERT_TRUE(db.open());
        QSqlQuery query(db);
        ASSERT_TRUE(query.exec(u"PRAGMA user_version=99"_s));
        db.close();
    }
    QSqlDatabase::removeDatabase(u"newer-schema"_s);

    const auto opened = HistoryStore::open(path);

    EXPECT_FALSE(opened.ok());
}

TEST_F(HistoryStoreTest, LongLinearConversationReadsInOrder)
{
    constexpr int kCount = 2000;
    const qint64 id = conversationWith(u"long"_s);
    QList<HistoryMessage> source;
    for (int i = 0; i < kCount; ++i) {
        HistoryMessage message;
        message.role = i % 2 == 0 ? u"user"_s : u"assistant"_s;
        message.content = u"turn %1"_s.arg(i);
        source.append(message);
    }
    const auto imported = m_store->importConversation(Conversation{}, source);
    ASSERT_TRUE(imported.ok()) << qPrintable(imported.error());
    append(id, u"user"_s, u"other conversation"_s);

    const QList<HistoryMessage> messages = m_store->messages(imported->id);

    ASSERT_EQ(messages.size(), kCount);
    for (int i = 0; i < kCount; ++i) {
        ASSERT_EQ(messages[i].content, u"turn %1"_s.arg(i));
        ASSERT_EQ(messages[i].position, i);
        ASSERT_EQ(messages[i].parentId, i == 0 ? 0 : messages[i - 1].id);
    }
}

TEST_F(HistoryStoreTest, ExportWritesTheShownPathWithTheSettings)
{
    const auto created = m_store->createConversation(u"export"_s,
                                                     {},
                                                     u"m"_s,
                                                     u"local"_s,
                                                     QJsonObject{{u"temperature"_s, 1.0}});
    ASSERT_TRUE(created.ok());
    const qint64 id = created->id;
    const qint64 prompt = append(id, u"user"_s, u"Q"_s);
    append(id, u"assistant"_s, u"hidden answer"_s);
    reply(id, u"assistant"_s, u"shown answer"_s, prompt);
    const ConversationExport exported{*m_store->conversation(id), m_store->messages(id)};

    const auto parsed = ConversationExport::fromJson(exported.toJson());
    ASSERT_TRUE(parsed.ok()) << qPrintable(parsed.error());
    const auto imported = m_store->importConversation(parsed->conversation, parsed->messages);
    ASSERT_TRUE(imported.ok()) << qPrintable(imported.error());

    EXPECT_FALSE(exported.toMarkdown().contains(u"hidden answer"_s));
    EXPECT_EQ(shownTexts(imported->id), (QList<QString>{u"Q"_s, u"shown answer"_s}));
    EXPECT_EQ(m_store->conversation(imported->id)->profile, u"local"_s);
    EXPECT_EQ(m_store->conversation(imported->id)->parameters.value(u"temperature"_s), 1.0);
}

TEST_F(HistoryStoreTest, ExportOfTheFirstFormatVersionStillImports)
{
    const QByteArray json = R"({"format": "chatqueue.conversation", "version": 1,
        "title": "old export", "created_at_ms": 1000, "updated_at_ms": 2000,
        "pinned": false, "system_prompt": "", "model": "m",
        "messages": [{"role": "user", "content": "Q", "created_at_ms": 1001},
                     {"role": "assistant", "content": "A", "status": "succeeded",
                      "created_at_ms": 1002}]})";

    const auto parsed = ConversationExport::fromJson(json);
    ASSERT_TRUE(parsed.ok()) << qPrintable(parsed.error());
    const auto imported = m_store->importConversation(parsed->conversation, parsed->messages);
    ASSERT_TRUE(imported.ok()) << qPrintable(imported.error());
    const QList<HistoryMessage> messages = m_store->messages(imported->id);

    ASSERT_EQ(messages.size(), 2);
    EXPECT_EQ(messages[1].content, u"A"_s);
    EXPECT_EQ(messages[1].parentId, messages[0].id);
    EXPECT_TRUE(m_store->conversation(imported->id)->profile.isEmpty());
}

TEST_F(HistoryStoreTest, BrowsingAndDeletingVersionsKeepTheListOrder)
{
    const qint64 id = conversationWith(u"browsed"_s);
    const qint64 prompt = append(id, u"user"_s, u"Q"_s);
    const qint64 first = append(id, u"assistant"_s, u"A"_s);
    const qint64 second = reply(id, u"assistant"_s, u"B"_s, prompt);
    Conversation newer;
    newer.title = u"newer"_s;
    newer.updatedAtMs = m_store->conversation(id)->updatedAtMs + 60000;
    ASSERT_TRUE(m_store->importConversation(newer, {}).ok());
    const qint64 updatedBefore = m_store->conversation(id)->updatedAtMs;

    ASSERT_TRUE(m_store->selectVersion(first).ok());
    ASSERT_TRUE(m_store->deleteMessage(second).ok());

    EXPECT_EQ(titles(m_store->conversations()), (QList<QString>{u"newer"_s, u"browsed"_s}));
    EXPECT_EQ(m_store->conversation(id)->updatedAtMs, updatedBefore);
    EXPECT_EQ(shownTexts(id), (QList<QString>{u"Q"_s, u"A"_s}));
}

TEST_F(HistoryStoreTest, DeletingAHiddenVersionLeavesTheShownPath)
{
    const qint64 id = conversationWith(u"hidden delete"_s);
    const qint64 prompt = append(id, u"user"_s, u"Q"_s);
    const qint64 hidden = append(id, u"assistant"_s, u"A"_s);
    HistoryMessage regenerated;
    regenerated.conversationId = id;
    regenerated.role = u"assistant"_s;
    regenerated.content = u"B"_s;
    const auto shown = m_store->addReply(regenerated, prompt);
    ASSERT_TRUE(shown.ok());

    ASSERT_TRUE(m_store->deleteMessage(hidden).ok());
    const QList<HistoryMessage> messages = m_store->messages(id);

    EXPECT_EQ(shown->versionIndex, 1);
    EXPECT_EQ(shown->versionCount, 2);
    ASSERT_EQ(messages.size(), 2);
    EXPECT_EQ(messages[1].id, shown->id);
    EXPECT_EQ(messages[1].versionIndex, 0);
    EXPECT_EQ(messages[1].versionCount, 1);
}

TEST_F(HistoryStoreTest, SearchFindsTextOfVersionsNotShown)
{
    const qint64 id = conversationWith(u"search versions"_s);
    const qint64 prompt = append(id, u"user"_s, u"Q"_s);
    append(id, u"assistant"_s, u"an aardvark"_s);
    reply(id, u"assistant"_s, u"a zebra"_s, prompt);

    const QList<QString> found = titles(m_store->search(u"aardvark"_s));

    EXPECT_EQ(found, QList<QString>{u"search versions"_s});
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
