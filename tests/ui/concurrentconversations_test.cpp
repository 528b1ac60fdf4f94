// Several conversations stream at once from one window; switching between them never
// disturbs a stream; an answer streaming when the app closed is shown again on the next
// start and runs to its end.

#include "ui/chat/chatsession.h"
#include "ui/conversations/conversationhistory.h"
#include "ui/conversations/conversationlist.h"

#include "tests/support/redisserver.h"
#include "tests/ui/chatwindowfixture.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

TEST_F(ChatWindowFixture, TwoConversationsStreamWhileTheUserSwitches)
{
    const QString first = words(150);
    const QString second = words(120);
    m_provider.enqueue(FakeProvider::contentScenario(first, 6).inChunks(96, 15ms));
    m_provider.enqueue(FakeProvider::contentScenario(second, 6).inChunks(96, 15ms));
    openWindow();

    sendPrompt(u"First conversation"_s);
    ASSERT_TRUE(QTest::qWaitFor([this] { return !answerText().isEmpty(); }, kWaitMs));
    const qint64 firstId = m_window->currentConversation();
    m_window->newConversation();
    sendPrompt(u"Second conversation"_s);
    ASSERT_TRUE(QTest::qWaitFor([this] { return m_window->streamingCount() == 2; }, kWaitMs));
    const qint64 secondId = m_window->currentConversation();
    int switches = 0;
    while (m_finishedCount < 2 && switches < 400) {
        m_window->openConversation(switches % 2 == 0 ? firstId : secondId);
        QTest::qWait(20);
        ++switches;
    }
    ASSERT_TRUE(QTest::qWaitFor([this] { return m_finishedCount == 2; }, kWaitMs));
    m_window->openConversation(firstId);
    const QString firstShown = answerText();
    m_window->openConversation(secondId);
    const QString secondShown = answerText();

    EXPECT_NE(firstId, secondId);
    EXPECT_GT(switches, 2);
    EXPECT_EQ(firstShown, first);
    EXPECT_EQ(secondShown, second);
    EXPECT_EQ(m_store->messages(firstId).last().content, first);
    EXPECT_EQ(m_store->messages(secondId).last().content, second);
    EXPECT_EQ(m_window->streamingCount(), 0);
}

TEST_F(ChatWindowFixture, SendingInOneConversationWaitsOnlyForItsOwnAnswer)
{
    m_provider.enqueue(FakeProvider::contentScenario(words(100), 4).inChunks(16, 20ms));
    m_provider.enqueue(FakeProvider::contentScenario(u"quick"_s));
    openWindow();

    sendPrompt(u"Slow one"_s);
    ASSERT_TRUE(QTest::qWaitFor([this] { return m_window->streamingCount() == 1; }, kWaitMs));
    const bool sendOffWhileStreaming = !m_window->sendButton()->isEnabled();
    m_window->newConversation();
    const bool sendOnInNewConversation = m_window->sendButton()->isEnabled();
    ASSERT_TRUE(ask(u"Quick one"_s));

    EXPECT_TRUE(sendOffWhileStreaming);
    EXPECT_TRUE(sendOnInNewConversation);
    EXPECT_EQ(answerText(), u"quick"_s);
    EXPECT_EQ(m_window->streamingCount(), 1);
}

TEST_F(ChatWindowFixture, DeletingAConversationStopsItsAnswer)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(words(300), 4).inChunks(32, 20ms));
    openWindow();
    auto *history = new ConversationHistory(m_window.get());
    sendPrompt(u"A long one"_s);
    ASSERT_TRUE(QTest::qWaitFor([this] { return !answerText().isEmpty(); }, kWaitMs));
    const qint64 conversation = m_window->currentConversation();
    m_window->newConversation();

    history->list()->deleteConversation(conversation);
    ASSERT_TRUE(waitForFinished());

    EXPECT_EQ(m_finished->status, JobStatus::Cancelled);
    EXPECT_EQ(m_window->streamingCount(), 0);
}

TEST_F(ChatWindowFixture, AnAnswerStreamingWhenTheAppClosedResumesOnTheNextStart)
{
    const QString content = words(200);
    m_provider.setDefaultScenario(FakeProvider::contentScenario(content, 4).inChunks(256, 10ms));
    openWindow();
    sendPrompt(u"Keep going"_s);
    ASSERT_TRUE(QTest::qWaitFor([this] { return !answerText().isEmpty(); }, kWaitMs));
    const qint64 conversation = m_window->currentConversation();

    // The app quits mid-answer: window, workers and queue go; the files stay.
    m_pool.reset();
    m_window.reset();
    m_backend.reset();
    openBackend();
    m_finished.reset();
    openWindow();
    auto *history = new ConversationHistory(m_window.get());
    const qint64 shownAtStart = m_window->currentConversation();
    const bool streamingAtStart = m_window->streamingCount() == 1;
    const bool markedAtStart = history->list()->isMarkedStreaming(conversation);
    ASSERT_TRUE(waitForFinished());
    ASSERT_TRUE(QTest::qWaitFor(
            [&] { return m_store->messages(conversation).last().status == u"succeeded"_s; },
            kWaitMs));

    EXPECT_EQ(shownAtStart, conversation);
    EXPECT_EQ(history->currentConversation(), conversation);
    EXPECT_TRUE(streamingAtStart);
    EXPECT_TRUE(markedAtStart);
    EXPECT_FALSE(history->list()->isMarkedStreaming(conversation));
    EXPECT_EQ(answerText(), content);
    EXPECT_EQ(m_store->messages(conversation).last().content, content);
}

TEST_F(ChatWindowFixture, OnRedisTheAnswerStreamedWhileTheAppWasClosedAppears)
{
    RedisServer redis;
    ASSERT_TRUE(redis.start()) << qPrintable(redis.errorString());
    auto backend = openQueueBackend(redis.url(), m_dataDir.path());
    ASSERT_TRUE(backend.ok()) << qPrintable(backend.error().message);
    m_backend = *backend;
    const QString content = words(200);
    m_provider.setDefaultScenario(FakeProvider::contentScenario(content, 4).inChunks(256, 10ms));
    openWindow();
    sendPrompt(u"Keep going while I am away"_s);
    ASSERT_TRUE(QTest::qWaitFor([this] { return !answerText().isEmpty(); }, kWaitMs));
    const QString jobId = m_window->currentJobId();
    const qint64 conversation = m_window->currentConversation();

    // Only the app closes; the workers, elsewhere on the same Redis, finish the answer.
    m_window.reset();
    ASSERT_TRUE(QTest::qWaitFor([&] { return storedRecord(jobId).status == JobStatus::Succeeded; },
                                kWaitMs));
    const QString storedBeforeRestart = m_store->messages(conversation).last().content;
    m_pool.reset();
    openWindow();
    const qint64 shownAtStart = m_window->currentConversation();
    ASSERT_TRUE(waitForFinished());

    EXPECT_NE(storedBeforeRestart, content);
    EXPECT_EQ(shownAtStart, conversation);
    EXPECT_EQ(answerText(), content);
    ASSERT_TRUE(QTest::qWaitFor(
            [&] { return m_store->messages(conversation).last().content == content; },
            kWaitMs));
}
