// What a user does to the turns of a conversation in the window: copy, regenerate and page
// through versions, edit and resend, delete; the figures under an answer; parameters kept
// per conversation; a long conversation opening at its end.

#include "ui/chat/chatsession.h"
#include "ui/chat/parametersbar.h"
#include "ui/chat/parametersdialog.h"
#include "ui/chat/reasoningblock.h"
#include "ui/markdown/markdownview.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>

#include "tests/ui/chatwindowfixture.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

class MessageActionsTest : public ChatWindowFixture
{
protected:
    QJsonArray lastRequestMessages() const
    {
        return m_provider.requests().last().json.value(u"messages"_s).toArray();
    }

    QStringList shownTexts() const
    {
        QStringList texts;
        const QList<MessageWidget *> messages = m_window->conversation()->messages();
        for (MessageWidget *message : messages) {
            texts.append(message->answerText());
        }
        return texts;
    }
};

} // namespace

TEST_F(MessageActionsTest, RegenerateKeepsEarlierVersionsToPageThrough)
{
    m_provider.enqueue(FakeProvider::contentScenario(u"First take"_s));
    m_provider.enqueue(FakeProvider::contentScenario(u"Second take"_s));
    openWindow();
    ASSERT_TRUE(ask(u"Tell me a joke"_s));

    m_finished.reset();
    lastMessage()->regenerateButton()->click();
    ASSERT_TRUE(waitForFinished());
    const QString afterRegenerate = answerText();
    const QString versionAfterRegenerate = lastMessage()->versionText();
    const QJsonArray regenerateRequest = lastRequestMessages();
    lastMessage()->previousVersionButton()->click();
    const QString previousText = answerText();
    const QString previousVersion = lastMessage()->versionText();

    EXPECT_EQ(afterRegenerate, u"Second take"_s);
    EXPECT_EQ(versionAfterRegenerate, u"2/2"_s);
    ASSERT_EQ(regenerateRequest.size(), 1);
    EXPECT_EQ(regenerateRequest.at(0)[u"content"_s].toString(), u"Tell me a joke"_s);
    EXPECT_EQ(previousText, u"First take"_s);
    EXPECT_EQ(previousVersion, u"1/2"_s);
    EXPECT_FALSE(lastMessage()->previousVersionButton()->isEnabled());
    EXPECT_EQ(m_window->history().last().content, u"First take"_s);
}

TEST_F(MessageActionsTest, EditAndResendMakesANewVersionOfThePrompt)
{
    m_provider.enqueue(FakeProvider::contentScenario(u"Answer one"_s));
    m_provider.enqueue(FakeProvider::contentScenario(u"Answer two"_s));
    m_provider.enqueue(FakeProvider::contentScenario(u"Answer to the edit"_s));
    openWindow();
    ASSERT_TRUE(ask(u"Question one"_s));
    ASSERT_TRUE(ask(u"Question two"_s));

    message(0)->editButton()->click();
    const QString composerWhileEditing = m_window->composer()->toPlainText();
    const bool editing = m_window->isEditing();
    m_window->composer()->setPlainText(u"Question one, better"_s);
    m_finished.reset();
    m_window->sendButton()->click();
    ASSERT_TRUE(waitForFinished());
    const QStringList afterEdit = shownTexts();
    const QJsonArray editRequest = lastRequestMessages();
    const QString editedVersion = message(0)->versionText();
    message(0)->previousVersionButton()->click();
    const QStringList original = shownTexts();

    EXPECT_EQ(composerWhileEditing, u"Question one"_s);
    EXPECT_TRUE(editing);
    EXPECT_FALSE(m_window->isEditing());
    EXPECT_EQ(afterEdit, (QStringList{u"Question one, better"_s, u"Answer to the edit"_s}));
    ASSERT_EQ(editRequest.size(), 1);
    EXPECT_EQ(editRequest.at(0)[u"content"_s].toString(), u"Question one, better"_s);
    EXPECT_EQ(editedVersion, u"2/2"_s);
    EXPECT_EQ(
            original,
            (QStringList{u"Question one"_s, u"Answer one"_s, u"Question two"_s, u"Answer two"_s}));
}

TEST_F(MessageActionsTest, EditingPutsTheDraftAsideAndGivesItBack)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"ok"_s));
    openWindow();
    ASSERT_TRUE(ask(u"Question one"_s));
    m_window->composer()->setPlainText(u"my long unsent draft"_s);

    message(0)->editButton()->click();
    const QString whileEditing = m_window->composer()->toPlainText();
    m_window->cancelEditing();
    const QString afterCancel = m_window->composer()->toPlainText();
    message(0)->editButton()->click();
    m_window->composer()->setPlainText(u"Question one, again"_s);
    m_finished.reset();
    m_window->sendButton()->click();
    ASSERT_TRUE(waitForFinished());

    EXPECT_EQ(whileEditing, u"Question one"_s);
    EXPECT_EQ(afterCancel, u"my long unsent draft"_s);
    EXPECT_EQ(m_window->composer()->toPlainText(), u"my long unsent draft"_s);
    EXPECT_EQ(message(0)->answerText(), u"Question one, again"_s);
}

TEST_F(MessageActionsTest, AnEditInProgressSurvivesSwitchingConversations)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"ok"_s));
    openWindow();
    ASSERT_TRUE(ask(u"Question one"_s));
    const qint64 first = m_window->currentConversation();
    message(0)->editButton()->click();
    m_window->composer()->setPlainText(u"Question one, half rewritten"_s);

    m_window->newConversation();
    const QString inTheNewOne = m_window->composer()->toPlainText();
    const bool editingThere = m_window->isEditing();
    m_window->openConversation(first);

    EXPECT_TRUE(inTheNewOne.isEmpty());
    EXPECT_FALSE(editingThere);
    EXPECT_TRUE(m_window->isEditing());
    EXPECT_EQ(m_window->composer()->toPlainText(), u"Question one, half rewritten"_s);
}

TEST_F(MessageActionsTest, DeletingTheMessageBeingEditedKeepsItsNewText)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"ok"_s));
    openWindow();
    ASSERT_TRUE(ask(u"Question one"_s));
    ASSERT_TRUE(ask(u"Question two"_s));
    message(0)->editButton()->click();
    m_window->composer()->setPlainText(u"Question one, rewritten"_s);

    message(0)->deleteButton()->click();
    const bool editingAfterDelete = m_window->isEditing();
    const QString kept = m_window->composer()->toPlainText();
    m_finished.reset();
    m_window->sendButton()->click();
    ASSERT_TRUE(waitForFinished());

    EXPECT_FALSE(editingAfterDelete);
    EXPECT_EQ(kept, u"Question one, rewritten"_s);
    EXPECT_EQ(lastRequestMessages().last()[u"content"_s].toString(), u"Question one, rewritten"_s);
}

TEST_F(MessageActionsTest, DeleteRemovesOneTurnAndKeepsTheRest)
{
    m_provider.enqueue(FakeProvider::contentScenario(u"Answer one"_s));
    m_provider.enqueue(FakeProvider::contentScenario(u"Answer two"_s));
    openWindow();
    ASSERT_TRUE(ask(u"Question one"_s));
    ASSERT_TRUE(ask(u"Question two"_s));

    message(1)->deleteButton()->click();
    const QStringList shown = shownTexts();
    const QList<HistoryMessage> stored = m_store->messages(m_window->currentConversation());

    EXPECT_EQ(shown, (QStringList{u"Question one"_s, u"Question two"_s, u"Answer two"_s}));
    ASSERT_EQ(stored.size(), 3);
    EXPECT_EQ(stored.at(1).content, u"Question two"_s);
    ASSERT_EQ(m_window->history().size(), 3);
    EXPECT_EQ(m_window->history().at(1).role, u"user"_s);
}

TEST_F(MessageActionsTest, CopyPutsTheAnswersMarkdownOnTheClipboard)
{
    const QString markdown = u"Use **bold** and `code`.\n\n```python\nprint(1)\n```"_s;
    m_provider.setDefaultScenario(FakeProvider::contentScenario(markdown));
    openWindow();
    ASSERT_TRUE(ask(u"Format something"_s));

    lastMessage()->copyButton()->click();
    const QString answerCopy = QApplication::clipboard()->text();
    message(0)->copyButton()->click();
    const QString promptCopy = QApplication::clipboard()->text();

    EXPECT_EQ(answerCopy, markdown);
    EXPECT_EQ(promptCopy, u"Format something"_s);
}

TEST_F(MessageActionsTest, CodeBlockCopyTakesOnlyTheCodeAndSaysSo)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(
            u"Run this:\n\n```bash\necho 你好\nls -la\n```\n\nThen stop."_s));
    openWindow();
    ASSERT_TRUE(ask(u"Show me"_s));

    const bool copied = lastMessage()->answerView()->copyCodeBlock(0);

    EXPECT_TRUE(copied);
    EXPECT_EQ(QApplication::clipboard()->text(), u"echo 你好\nls -la"_s);
    EXPECT_EQ(m_window->statusText(), u"Copied to the clipboard."_s);
}

TEST_F(MessageActionsTest, AnswerShowsItsTokensTimeToFirstTokenAndRate)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(words(40), 4).inChunks(32, 5ms));
    openWindow();

    ASSERT_TRUE(ask(u"Count"_s));
    const QString stats = lastMessage()->statsText();
    m_window->openConversation(m_window->currentConversation());
    m_window->newConversation();
    m_window->openConversation(m_store->conversations().first().id);
    const QString reopenedStats = lastMessage()->statsText();

    ASSERT_TRUE(m_finished->usage.known);
    const QString tokens = QString::number(m_finished->usage.completionTokens);
    EXPECT_TRUE(stats.contains(tokens + u" tokens"_s)) << qPrintable(stats);
    EXPECT_TRUE(stats.contains(u"first token"_s)) << qPrintable(stats);
    EXPECT_TRUE(stats.contains(u"tokens/s"_s)) << qPrintable(stats);
    EXPECT_EQ(reopenedStats, stats);
}

TEST_F(MessageActionsTest, ReasoningShowsHowLongItTookAfterReopening)
{
    m_provider.setDefaultScenario(
            FakeProvider::reasoningScenario(words(30), u"The answer."_s).inChunks(24, 10ms));
    openWindow();
    ASSERT_TRUE(ask(u"Think"_s));

    m_window->newConversation();
    m_window->openConversation(m_store->conversations().first().id);
    const QString header = lastMessage()->reasoningBlock()->findChild<QToolButton *>()->text();

    EXPECT_GT(m_finished->firstContentAtMs, 0);
    EXPECT_GE(m_finished->firstContentAtMs, m_finished->firstTokenAtMs);
    EXPECT_TRUE(header.contains(u" s)"_s)) << qPrintable(header);
}

TEST_F(MessageActionsTest, ParametersBelongToTheConversationAndComeBackWithIt)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"ok"_s));
    openWindow();
    QTimer::singleShot(0, [] {
        auto *dialog = qobject_cast<ParametersDialog *>(QApplication::activeModalWidget());
        ASSERT_NE(dialog, nullptr);
        dialog->systemPromptEdit()->setPlainText(u"你是人工智能助手"_s);
        dialog->temperatureCheck()->setChecked(true);
        dialog->temperatureBox()->setValue(0.3);
        dialog->maxTokensBox()->setValue(256);
        dialog->effortBox()->setCurrentIndex(dialog->effortBox()->findData(u"high"_s));
        dialog->accept();
    });
    m_window->parametersBar()->editParameters();
    ASSERT_TRUE(ask(u"First"_s));
    const QJsonObject tuned = m_provider.requests().last().json;
    const qint64 tunedConversation = m_window->currentConversation();

    m_window->newConversation();
    ASSERT_TRUE(ask(u"Plain"_s));
    const QJsonObject plain = m_provider.requests().last().json;
    m_window->openConversation(tunedConversation);
    ASSERT_TRUE(ask(u"Again"_s));
    const QJsonObject reopened = m_provider.requests().last().json;

    EXPECT_DOUBLE_EQ(tuned.value(u"temperature"_s).toDouble(), 0.3);
    EXPECT_EQ(tuned.value(u"max_tokens"_s).toInt(), 256);
    EXPECT_EQ(tuned.value(u"reasoning_effort"_s).toString(), u"high"_s);
    EXPECT_EQ(tuned.value(u"messages"_s).toArray().at(0)[u"content"_s].toString(),
              u"你是人工智能助手"_s);
    EXPECT_FALSE(plain.contains(u"temperature"_s));
    EXPECT_EQ(plain.value(u"messages"_s).toArray().at(0)[u"role"_s].toString(), u"user"_s);
    EXPECT_DOUBLE_EQ(reopened.value(u"temperature"_s).toDouble(), 0.3);
    EXPECT_EQ(reopened.value(u"messages"_s).toArray().at(0)[u"role"_s].toString(), u"system"_s);
    EXPECT_EQ(reopened.value(u"messages"_s).toArray().size(), 4);
}

TEST_F(MessageActionsTest, ALongConversationOpensAtItsLatestTurns)
{
    auto conversation = m_store->createConversation(u"Long"_s);
    ASSERT_TRUE(conversation.ok());
    for (int i = 0; i < 100; ++i) {
        HistoryMessage stored;
        stored.conversationId = conversation->id;
        stored.role = i % 2 == 0 ? u"user"_s : u"assistant"_s;
        stored.content = u"turn %1"_s.arg(i);
        stored.status = i % 2 == 0 ? QString() : u"succeeded"_s;
        ASSERT_TRUE(m_store->addMessage(stored).ok());
    }
    openWindow();

    m_window->openConversation(conversation->id);
    const qsizetype shownFirst = m_window->conversation()->messages().size();
    const QString firstShown = message(0)->answerText();
    const bool buttonShown = !m_window->conversation()->earlierButton()->isHidden();
    ASSERT_TRUE(QTest::qWaitFor(
            [this] { return m_window->conversation()->verticalScrollBar()->maximum() > 0; },
            kWaitMs));
    m_window->conversation()->verticalScrollBar()->setValue(0);
    const qsizetype shownAfterScrolling = m_window->conversation()->messages().size();
    for (int clicks = 0; clicks < 10 && !m_window->conversation()->earlierButton()->isHidden();
         ++clicks) {
        m_window->conversation()->earlierButton()->click();
    }
    const qsizetype shownAtLast = m_window->conversation()->messages().size();

    EXPECT_EQ(shownFirst, ChatSession::kInitialTurns);
    EXPECT_EQ(firstShown, u"turn %1"_s.arg(100 - ChatSession::kInitialTurns));
    EXPECT_TRUE(buttonShown);
    EXPECT_GT(shownAfterScrolling, shownFirst);
    EXPECT_EQ(shownAtLast, 100);
    EXPECT_EQ(message(0)->answerText(), u"turn 0"_s);
    EXPECT_TRUE(m_window->conversation()->earlierButton()->isHidden());
    EXPECT_EQ(m_window->history().size(), 100);
}
