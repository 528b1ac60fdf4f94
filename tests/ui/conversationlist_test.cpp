// The conversation list in a real chat window over the in-process queue, a worker pool and
// the fake provider: prompts become stored conversations, search filters, delete can be
// undone, picking a conversation shows it, and an answer keeps streaming into its own
// conversation while the window shows another.

#include "ui/conversations/conversationlist.h"

#include "core/store/historystore.h"
#include "ui/chat/chatwindow.h"
#include "ui/conversations/conversationhistory.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QTest>

#include "tests/ui/chatwindowfixture.h"
#include "tests/ui/uitesthelpers.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

class ConversationListTest : public ChatWindowFixture
{
protected:
    void SetUp() override
    {
        ChatWindowFixture::SetUp();
        openWindow();
        m_history = new ConversationHistory(m_window.get());
        m_window->resize(1100, 700);
    }

    ConversationList *list() const { return m_history->list(); }

    // Sends `prompt` and waits until its answer has ended.
    void askAndWait(const QString &prompt) { ASSERT_TRUE(ask(prompt)); }

    QStringList shownTitles() const
    {
        QStringList titles;
        for (int row = 0; row < list()->listWidget()->count(); ++row) {
            titles.append(list()->listWidget()->item(row)->text());
        }
        return titles;
    }

    ConversationHistory *m_history = nullptr;
};

TEST_F(ConversationListTest, SentPromptAppearsWithItsTitle)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"Sure."_s));
    const QString prompt = u"  Plan a three day trip to Hangzhou in spring, with tea and walks"_s;

    askAndWait(prompt);
    const QList<Conversation> stored = m_store->conversations();

    ASSERT_EQ(shownTitles().size(), 1);
    EXPECT_TRUE(shownTitles().first().startsWith(u"Plan a three day trip"_s));
    EXPECT_LE(shownTitles().first().size(), 40);
    EXPECT_TRUE(shownTitles().first().endsWith(u'…'));
    ASSERT_EQ(stored.size(), 1);
    EXPECT_EQ(m_history->currentConversation(), stored.first().id);
    EXPECT_EQ(stored.first().model, u"fake-model"_s);
    const QList<HistoryMessage> messages = m_store->messages(stored.first().id);
    ASSERT_EQ(messages.size(), 2);
    EXPECT_EQ(messages[0].content, prompt.trimmed());
    EXPECT_EQ(messages[1].content, u"Sure."_s);
    EXPECT_EQ(messages[1].status, u"succeeded"_s);
}

TEST_F(ConversationListTest, SecondPromptStaysInTheSameConversation)
{
    askAndWait(u"first"_s);
    askAndWait(u"second"_s);

    EXPECT_EQ(shownTitles(), QStringList{u"first"_s});
    EXPECT_EQ(m_store->messages(m_history->currentConversation()).size(), 4);
}

TEST_F(ConversationListTest, SearchFiltersTheList)
{
    askAndWait(u"关于上海的天气"_s);
    m_window->newConversation();
    askAndWait(u"Recipe for dumplings"_s);

    list()->searchBox()->setText(u"上海"_s);
    const QStringList chinese = shownTitles();
    list()->searchBox()->setText(u"DUMPLING"_s);
    const QStringList english = shownTitles();
    list()->searchBox()->clear();

    EXPECT_EQ(chinese, QStringList{u"关于上海的天气"_s});
    EXPECT_EQ(english, QStringList{u"Recipe for dumplings"_s});
    EXPECT_EQ(shownTitles(), (QStringList{u"Recipe for dumplings"_s, u"关于上海的天气"_s}));
}

TEST_F(ConversationListTest, DeleteThenUndoRestores)
{
    askAndWait(u"keep this one"_s);
    const qint64 id = m_history->currentConversation();

    list()->deleteConversation(id);
    const QStringList afterDelete = shownTitles();
    const bool barShown = list()->undoBar()->isVisible();
    const qint64 currentAfterDelete = m_history->currentConversation();
    list()->undoButton()->click();

    EXPECT_TRUE(afterDelete.isEmpty());
    EXPECT_TRUE(barShown);
    EXPECT_EQ(currentAfterDelete, 0);
    EXPECT_EQ(shownTitles(), QStringList{u"keep this one"_s});
    EXPECT_FALSE(list()->undoBar()->isVisible());
    EXPECT_EQ(m_store->messages(id).size(), 2);
}

TEST_F(ConversationListTest, DeleteBecomesFinalWhenTheUndoBarCloses)
{
    askAndWait(u"gone soon"_s);
    const qint64 id = m_history->currentConversation();
    list()->setUndoTimeout(50ms);

    list()->deleteConversation(id);
    ASSERT_TRUE(QTest::qWaitFor([this] { return !list()->undoBar()->isVisible(); }, kWaitMs));

    EXPECT_FALSE(m_store->conversation(id).has_value());
}

TEST_F(ConversationListTest, PinMovesAConversationToTheTop)
{
    askAndWait(u"older"_s);
    const qint64 older = m_history->currentConversation();
    m_window->newConversation();
    askAndWait(u"newer"_s);

    const QStringList before = shownTitles();
    list()->setPinned(older, true);

    EXPECT_EQ(before, (QStringList{u"newer"_s, u"older"_s}));
    EXPECT_EQ(shownTitles(), (QStringList{u"older"_s, u"newer"_s}));
}

TEST_F(ConversationListTest, RenameInPlaceIsStored)
{
    askAndWait(u"original"_s);
    const qint64 id = m_history->currentConversation();

    list()->listWidget()->item(0)->setText(u"重命名的对话"_s);
    ASSERT_TRUE(QTest::qWaitFor(
            [this, id] { return m_store->conversation(id)->title == u"重命名的对话"_s; },
            kWaitMs));

    EXPECT_EQ(shownTitles(), QStringList{u"重命名的对话"_s});
}

TEST_F(ConversationListTest, SelectingAConversationShowsItsMessages)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"Answer one"_s));
    askAndWait(u"question one"_s);
    m_window->newConversation();
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"Answer two"_s));
    askAndWait(u"question two"_s);

    list()->listWidget()->setCurrentRow(1);
    const QList<MessageWidget *> messages = m_window->conversation()->messages();

    ASSERT_EQ(messages.size(), 2);
    EXPECT_EQ(messages.last()->answerText(), u"Answer one"_s);
    EXPECT_EQ(m_window->history().size(), 2);
    EXPECT_EQ(m_window->history().first().content, u"question one"_s);
    EXPECT_EQ(m_store->conversation(m_history->currentConversation())->title, u"question one"_s);
}

TEST_F(ConversationListTest, NewChatButtonClearsTheWindow)
{
    askAndWait(u"something"_s);

    list()->newChatButton()->click();

    EXPECT_EQ(m_history->currentConversation(), 0);
    EXPECT_TRUE(m_window->conversation()->messages().isEmpty());
    EXPECT_EQ(list()->listWidget()->currentItem(), nullptr);
}

TEST_F(ConversationListTest, SwitchingAwayDoesNotDisturbAStream)
{
    const QString slow = words(300);
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"Quick."_s));
    askAndWait(u"other conversation"_s);
    const qint64 other = m_history->currentConversation();
    m_window->newConversation();
    m_provider.setDefaultScenario(FakeProvider::contentScenario(slow, 6).inChunks(256, 15ms));
    m_window->composer()->setPlainText(u"long story"_s);
    m_window->sendButton()->click();
    ASSERT_TRUE(QTest::qWaitFor([this] { return answerText().size() > 20; }, kWaitMs));
    const qint64 streaming = m_history->currentConversation();

    m_history->openConversation(other);
    const auto storedAnswer = [this, streaming] {
        const QList<HistoryMessage> messages = m_store->messages(streaming);
        return messages.isEmpty() ? QString() : messages.last().content;
    };
    const QString early = storedAnswer();
    ASSERT_TRUE(QTest::qWaitFor([&] { return storedAnswer().size() > early.size(); }, kWaitMs));
    const QString shownMeanwhile = answerText();
    ASSERT_TRUE(QTest::qWaitFor(
            [&] { return m_store->messages(streaming).last().status == u"succeeded"_s; },
            kWaitMs));
    m_history->openConversation(streaming);

    EXPECT_EQ(shownMeanwhile, u"Quick."_s);
    EXPECT_EQ(storedAnswer(), slow);
    EXPECT_TRUE(m_window->currentJobId().isEmpty());
    EXPECT_EQ(answerText(), slow);
}

TEST_F(ConversationListTest, ReturningToAStreamingConversationFollowsItAgain)
{
    const QString slow = words(300);
    m_provider.setDefaultScenario(FakeProvider::contentScenario(slow, 6).inChunks(256, 15ms));
    m_window->composer()->setPlainText(u"long story"_s);
    m_window->sendButton()->click();
    ASSERT_TRUE(QTest::qWaitFor([this] { return answerText().size() > 20; }, kWaitMs));
    const qint64 streaming = m_history->currentConversation();

    m_window->newConversation();
    m_history->openConversation(streaming);
    const bool stillStreaming = !m_window->currentJobId().isEmpty();
    ASSERT_TRUE(QTest::qWaitFor([this] { return m_finishedCount == 1; }, kWaitMs));

    EXPECT_TRUE(stillStreaming);
    EXPECT_EQ(answerText(), slow);
    EXPECT_EQ(m_window->history().size(), 2);
}

TEST_F(ConversationListTest, ExportThenImportRestoresAConversation)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"导出的回答"_s));
    askAndWait(u"请导出这个对话"_s);
    const qint64 id = m_history->currentConversation();
    const QString jsonPath = m_dataDir.filePath(u"exported.json"_s);
    const QString markdownPath = m_dataDir.filePath(u"exported.md"_s);

    const auto json =
            list()->exportConversation(id, jsonPath, ConversationList::ExportFormat::Json);
    const auto markdown =
            list()->exportConversation(id, markdownPath, ConversationList::ExportFormat::Markdown);
    list()->deleteConversation(id);
    const auto imported = list()->importConversation(jsonPath);
    QFile markdownFile(markdownPath);
    ASSERT_TRUE(markdownFile.open(QIODevice::ReadOnly));
    const QString markdownText = QString::fromUtf8(markdownFile.readAll());

    ASSERT_TRUE(json.ok()) << qPrintable(json.error());
    ASSERT_TRUE(markdown.ok()) << qPrintable(markdown.error());
    ASSERT_TRUE(imported.ok()) << qPrintable(imported.error());
    EXPECT_EQ(shownTitles(), QStringList{u"请导出这个对话"_s});
    EXPECT_EQ(m_store->messages(*imported).last().content, u"导出的回答"_s);
    EXPECT_TRUE(markdownText.contains(u"## Assistant\n\n导出的回答"_s)) << qPrintable(markdownText);
}

TEST_F(ConversationListTest, ImportOfAFileThatIsNoExportFails)
{
    const QString path = m_dataDir.filePath(u"other.json"_s);
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(R"({"hello": "world"})");
    file.close();

    const auto imported = list()->importConversation(path);

    EXPECT_FALSE(imported.ok());
    EXPECT_TRUE(shownTitles().isEmpty());
}

TEST_F(ConversationListTest, NextAndPreviousWalkTheList)
{
    askAndWait(u"first"_s);
    m_window->newConversation();
    askAndWait(u"second"_s);
    const qint64 second = m_history->currentConversation();

    const bool movedDown = m_history->openAdjacentConversation(1);
    const qint64 afterDown = m_history->currentConversation();
    const bool movedPastEnd = m_history->openAdjacentConversation(1);
    const bool movedUp = m_history->openAdjacentConversation(-1);

    EXPECT_TRUE(movedDown);
    EXPECT_EQ(m_store->conversation(afterDown)->title, u"first"_s);
    EXPECT_FALSE(movedPastEnd);
    EXPECT_TRUE(movedUp);
    EXPECT_EQ(m_history->currentConversation(), second);
    EXPECT_EQ(m_window->history().first().content, u"second"_s);
}

TEST(ConversationTitle, IsTheFirstLineTrimmed)
{
    EXPECT_EQ(ConversationHistory::titleFor(u"  hello\n  world "_s), u"hello world"_s);
    EXPECT_EQ(ConversationHistory::titleFor(QString(50, u'字')).size(), 40);
    EXPECT_EQ(ConversationHistory::titleFor(u"short"_s), u"short"_s);
}

} // namespace
