// The chat window with real widgets, the in-process queue, a worker pool and the fake
// provider on loopback: answers stream in live, Stop keeps what arrived, the window's
// request reaches the provider as sent, and model output cannot make the window fetch.

#include "ui/chat/chatwindow.h"

#include "core/queue/jobqueue.h"
#include "core/settings/appsettings.h"
#include "core/settings/profileregistry.h"
#include "core/settings/secretstore.h"
#include "core/worker/workerpool.h"
#include "ui/chat/composer.h"
#include "ui/chat/conversationview.h"
#include "ui/chat/messagewidget.h"
#include "ui/chat/reasoningblock.h"
#include "ui/i18n/translations.h"
#include "ui/markdown/markdownview.h"
#include "ui/markdown/safetextdocument.h"
#include "ui/settings/providersettingspanel.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QInputMethodEvent>
#include <QJsonArray>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>

#include <optional>

#include "tests/support/fakeprovider.h"
#include "tests/ui/chatwindowfixture.h"
#include "tests/ui/uitesthelpers.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

class ChatWindowTest : public ChatWindowFixture
{};

} // namespace

TEST_F(ChatWindowTest, AnswerGrowsWhileTheProviderStreams)
{
    const QString content = words(120);
    m_provider.setDefaultScenario(FakeProvider::contentScenario(content, 6).inChunks(64, 15ms));
    openWindow();

    sendPrompt(u"Count for me"_s);
    ASSERT_TRUE(QTest::qWaitFor([this] { return !answerText().isEmpty(); }, kWaitMs));
    const QString early = answerText();
    const bool finishedEarly = m_finished.has_value();
    ASSERT_TRUE(QTest::qWaitFor([this, &early] { return answerText().size() > early.size(); },
                                kWaitMs));
    const QString later = answerText();
    const bool finishedLater = m_finished.has_value();
    const int streamsOpenLater = m_provider.openStreams();
    ASSERT_TRUE(waitForFinished());

    EXPECT_FALSE(finishedEarly);
    EXPECT_FALSE(finishedLater);
    EXPECT_EQ(streamsOpenLater, 1);
    EXPECT_TRUE(later.startsWith(early));
    EXPECT_LT(later.size(), content.size());
    EXPECT_EQ(m_finished->status, JobStatus::Succeeded);
    EXPECT_EQ(answerText(), content);
    EXPECT_TRUE(m_window->statusText().contains(u"succeeded"_s));
}

TEST_F(ChatWindowTest, StopCancelsTheJobAndKeepsThePartialAnswer)
{
    const QString content = words(400);
    m_provider.setDefaultScenario(FakeProvider::contentScenario(content, 6).inChunks(32, 20ms));
    openWindow();

    sendPrompt(u"Tell me a long story"_s);
    ASSERT_TRUE(QTest::qWaitFor([this] { return answerText().size() > 20; }, kWaitMs));
    m_window->stopButton()->click();
    ASSERT_TRUE(waitForFinished());
    const JobRecord stored = storedRecord(m_finished->id);

    EXPECT_EQ(m_finished->status, JobStatus::Cancelled);
    EXPECT_EQ(stored.status, JobStatus::Cancelled);
    EXPECT_FALSE(stored.content.isEmpty());
    EXPECT_LT(stored.content.size(), content.size());
    EXPECT_TRUE(content.startsWith(stored.content));
    // The answer is shown rendered as Markdown, which drops trailing blanks.
    EXPECT_EQ(answerText(), stored.content.trimmed());
    EXPECT_TRUE(m_window->statusText().contains(u"cancelled"_s));
    EXPECT_FALSE(m_window->stopButton()->isEnabled());
    EXPECT_TRUE(m_window->sendButton()->isEnabled());
}

TEST_F(ChatWindowTest, ReasoningModelAnswersTheFirstChineseRequest)
{
    const QString reasoning = u"用户问今天有哪些新闻。我无法访问实时信息，应当说明这一点，"
                              "并建议可靠的新闻来源。"_s;
    const QString content = u"抱歉，我无法获取实时新闻。你可以查看新华网、人民网或"
                            "澎湃新闻等来源，了解今天的最新消息。"_s;
    m_provider.setDefaultScenario(
            FakeProvider::reasoningScenario(reasoning, content, 2).inChunks(48, 25ms));
    openWindow(u"你是人工智能助手"_s);

    sendPrompt(u"今天有哪些新闻"_s);
    ASSERT_TRUE(QTest::qWaitFor([this] { return answerText().size() > 4; }, kWaitMs));
    const bool midStream = !m_finished.has_value();
    m_window->grab().save(artifactPath(u"chatwindow-midstream.png"_s));
    ASSERT_TRUE(waitForFinished());
    m_window->grab().save(artifactPath(u"chatwindow-finished.png"_s));

    MessageWidget *answer = lastMessage();
    ASSERT_NE(answer, nullptr);
    EXPECT_TRUE(midStream);
    EXPECT_EQ(m_finished->status, JobStatus::Succeeded);
    EXPECT_FALSE(answer->reasoningBlock()->isHidden());
    EXPECT_EQ(answer->reasoningText(), reasoning);
    EXPECT_EQ(answer->answerText(), content);
    EXPECT_FALSE(answer->answerText().contains(reasoning));

    ASSERT_EQ(m_provider.requests().size(), 1);
    const QJsonArray messages = m_provider.requests().first().json.value(u"messages"_s).toArray();
    ASSERT_EQ(messages.size(), 2);
    EXPECT_EQ(messages.at(0)[u"role"_s].toString(), u"system"_s);
    EXPECT_EQ(messages.at(0)[u"content"_s].toString(), u"你是人工智能助手"_s);
    EXPECT_EQ(messages.at(1)[u"role"_s].toString(), u"user"_s);
    EXPECT_EQ(messages.at(1)[u"content"_s].toString(), u"今天有哪些新闻"_s);
}

TEST_F(ChatWindowTest, ReasoningFoldsAndUnfolds)
{
    m_provider.setDefaultScenario(FakeProvider::reasoningScenario(u"thinking"_s, u"answer"_s));
    openWindow();
    sendPrompt(u"Think"_s);
    ASSERT_TRUE(waitForFinished());
    ReasoningBlock *block = lastMessage()->reasoningBlock();

    block->setExpanded(false);
    const bool shownWhenFolded = block->view()->isVisibleTo(block);
    block->setExpanded(true);

    EXPECT_FALSE(shownWhenFolded);
    EXPECT_TRUE(block->view()->isVisibleTo(block));
}

TEST_F(ChatWindowTest, ModelOutputLoadsNothingAndRendersNoHtml)
{
    HitCounter server;
    ASSERT_TRUE(server.isListening());
    const QString base = u"http://127.0.0.1:%1"_s.arg(server.port());
    const QString content = u"<img src=\"file:///etc/passwd\">\n\n"
                            "![x](%1/pixel.png)\n\n"
                            "<script>alert(1)</script>\n\n"
                            "<b>bold</b> <a href=\"%1/a\">link</a> <img src=\"%1/tag.png\">\n\n"
                            "![local](file:///etc/passwd) ![data](data:image/png;base64,AAAA)\n\n"
                            "<iframe src=\"%1/frame\"></iframe>\n"_s.arg(base);
    m_provider.setDefaultScenario(FakeProvider::contentScenario(content, 7));
    openWindow();

    sendPrompt(u"Render this"_s);
    ASSERT_TRUE(waitForFinished());
    MarkdownView *view = lastMessage()->answerView();
    m_window->grab();
    view->grab();
    ASSERT_TRUE(server.settle());

    EXPECT_EQ(server.hits(), 0);
    const QString text = view->document()->toPlainText();
    const QString html = view->document()->toHtml();
    EXPECT_TRUE(text.contains(u"<script>alert(1)</script>"_s)) << qPrintable(text);
    EXPECT_TRUE(text.contains(u"<b>bold</b>"_s)) << qPrintable(text);
    EXPECT_FALSE(html.contains(u"<img"_s)) << qPrintable(html);
    EXPECT_FALSE(html.contains(u"<script"_s));
    EXPECT_FALSE(html.contains(u"<iframe"_s));
    EXPECT_TRUE(text.contains(u"[image: x]"_s)) << qPrintable(text);
    EXPECT_EQ(view->safeDocument()->refusedResourceCount(), 0);
}

TEST_F(ChatWindowTest, CtrlEnterSendsAndEnterBreaksTheLineWhenSoSet)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"Hello there"_s));
    openWindow();
    m_window->enterSendsAction()->setChecked(false);
    QSignalSpy submitted(m_window.get(), &ChatWindow::jobSubmitted);
    Composer *composer = m_window->composer();
    composer->setFocus();

    QTest::keyClicks(composer, u"first line"_s);
    QTest::keyClick(composer, Qt::Key_Return);
    QTest::keyClicks(composer, u"second line"_s);
    const int submittedAfterEnter = submitted.count();
    QTest::keyClick(composer, Qt::Key_Return, Qt::ControlModifier);
    ASSERT_TRUE(submitted.count() == 1 || submitted.wait(kWaitMs));
    ASSERT_TRUE(waitForFinished());

    EXPECT_EQ(submittedAfterEnter, 0);
    EXPECT_EQ(submitted.count(), 1);
    EXPECT_TRUE(composer->toPlainText().isEmpty());
    ASSERT_EQ(m_window->history().size(), 2);
    EXPECT_EQ(m_window->history().first().content, u"first line\nsecond line"_s);
    EXPECT_EQ(answerText(), u"Hello there"_s);
}

TEST_F(ChatWindowTest, EnterSendsAndShiftEnterBreaksTheLineByDefault)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"Hello there"_s));
    openWindow();
    QSignalSpy submitted(m_window.get(), &ChatWindow::jobSubmitted);
    Composer *composer = m_window->composer();
    composer->setFocus();

    QTest::keyClicks(composer, u"first line"_s);
    QTest::keyClick(composer, Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(composer, u"second line"_s);
    const int submittedAfterShiftEnter = submitted.count();
    QTest::keyClick(composer, Qt::Key_Return);
    ASSERT_TRUE(submitted.count() == 1 || submitted.wait(kWaitMs));
    ASSERT_TRUE(waitForFinished());
    m_settings->sync();

    EXPECT_TRUE(m_window->enterSendsAction()->isChecked());
    EXPECT_EQ(submittedAfterShiftEnter, 0);
    ASSERT_EQ(m_window->history().size(), 2);
    EXPECT_EQ(m_window->history().first().content, u"first line\nsecond line"_s);
    EXPECT_TRUE(m_settings->enterSends());
}

TEST_F(ChatWindowTest, ALargePasteIsTakenWholeAsPlainText)
{
    openWindow();
    QString text;
    while (text.size() < 2'000'000) {
        text += u"今天有哪些新闻 — a pasted log line\n"_s;
    }
    auto *clipboardData = new QMimeData;
    clipboardData->setText(text);
    clipboardData->setHtml(u"<b>rich</b>"_s);
    QApplication::clipboard()->setMimeData(clipboardData);

    m_window->composer()->paste();

    EXPECT_EQ(m_window->composer()->toPlainText(), text);
}

TEST_F(ChatWindowTest, SplitterAndGeometryAreRememberedAcrossStarts)
{
    openWindow();
    auto *splitter = m_window->findChild<QSplitter *>(u"conversationSplitter"_s);
    ASSERT_NE(splitter, nullptr);
    m_window->resize(900, 640);
    splitter->setSizes({300, 260});
    QCoreApplication::processEvents();
    const QList<int> chosen = splitter->sizes();

    m_window->close();
    m_pool.reset();
    m_window.reset();
    openWindow();
    QCoreApplication::processEvents();
    const QList<int> restored =
            m_window->findChild<QSplitter *>(u"conversationSplitter"_s)->sizes();

    EXPECT_EQ(restored, chosen);
    EXPECT_EQ(m_window->size(), QSize(900, 640));
}

TEST_F(ChatWindowTest, TextWithoutSpacesWrapsAnywhereSoItCannotFreezeTheWindow)
{
    // Wrapping 300,000 characters without a break between words takes Qt minutes.
    const QString unbroken(300'000, u'Q');
    m_provider.setDefaultScenario(FakeProvider::contentScenario(unbroken, 4096));
    openWindow();
    auto *clipboardData = new QMimeData;
    clipboardData->setText(unbroken);
    QApplication::clipboard()->setMimeData(clipboardData);

    m_window->composer()->paste();
    const QTextOption::WrapMode pasted = m_window->composer()->wordWrapMode();
    m_window->sendButton()->click();
    ASSERT_TRUE(waitForFinished());
    const QTextOption::WrapMode afterSending = m_window->composer()->wordWrapMode();

    EXPECT_EQ(pasted, QTextOption::WrapAnywhere);
    EXPECT_EQ(afterSending, QTextOption::WrapAtWordBoundaryOrAnywhere);
    EXPECT_EQ(m_window->history().first().content, unbroken);
    EXPECT_EQ(lastMessage()->answerView()->wordWrapMode(), QTextOption::WrapAnywhere);
    EXPECT_EQ(answerText(), unbroken);
}

TEST_F(ChatWindowTest, ProviderErrorIsShownInItsOwnWords)
{
    m_provider.setDefaultScenario(
            FakeProvider::Scenario::error(401, u"Incorrect API key provided: sk-te***st."_s));
    openWindow();

    sendPrompt(u"Hello"_s);
    ASSERT_TRUE(waitForFinished());

    EXPECT_EQ(m_finished->status, JobStatus::Failed);
    EXPECT_TRUE(m_window->statusText().contains(u"Incorrect API key provided"_s))
            << qPrintable(m_window->statusText());
    EXPECT_TRUE(m_window->statusText().contains(u"auth"_s));
}

TEST_F(ChatWindowTest, SecondTurnCarriesTheConversation)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"First answer"_s));
    openWindow();
    sendPrompt(u"First question"_s);
    ASSERT_TRUE(waitForFinished());
    m_finished.reset();

    sendPrompt(u"Second question"_s);
    ASSERT_TRUE(waitForFinished());

    ASSERT_EQ(m_provider.requests().size(), 2);
    const QJsonArray messages = m_provider.requests().last().json.value(u"messages"_s).toArray();
    ASSERT_EQ(messages.size(), 3);
    EXPECT_EQ(messages.at(1)[u"role"_s].toString(), u"assistant"_s);
    EXPECT_EQ(messages.at(1)[u"content"_s].toString(), u"First answer"_s);
    EXPECT_EQ(messages.at(2)[u"content"_s].toString(), u"Second question"_s);
}

TEST_F(ChatWindowTest, EditedSettingsApplyOnSendAndTheKeyStaysOutOfTheSettingsFile)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"Keyed answer"_s));
    openWindow();
    ProviderSettingsPanel *panel = m_window->settingsPanel();
    const QByteArray key = "sk-window-test-key-0123456789";

    panel->modelEdit()->setText(u"edited-model"_s);
    panel->apiKeyEdit()->setText(QString::fromUtf8(key));
    sendPrompt(u"Hello"_s);
    ASSERT_TRUE(waitForFinished());
    m_settings->sync();
    QFile settingsFile(m_dataDir.filePath(u"settings.ini"_s));
    ASSERT_TRUE(settingsFile.open(QIODevice::ReadOnly));
    const QByteArray settingsText = settingsFile.readAll();
    const auto storedKey = awaitTask(m_secrets->read(u"profile/default/api-key"_s));

    ASSERT_EQ(m_provider.requests().size(), 1);
    const FakeProvider::Request request = m_provider.requests().first();
    EXPECT_EQ(request.json.value(u"model"_s).toString(), u"edited-model"_s);
    EXPECT_EQ(request.header("authorization"), "Bearer " + key);
    EXPECT_EQ(m_settings->provider().model, u"edited-model"_s);
    EXPECT_FALSE(settingsText.contains(key));
    ASSERT_TRUE(storedKey.ok());
    EXPECT_EQ(storedKey->toUtf8(), key);
    EXPECT_FALSE(panel->hasUnappliedChanges());
}

TEST_F(ChatWindowTest, EnterDoesNotSendWhileAnInputMethodComposes)
{
    openWindow();
    QSignalSpy submitted(m_window.get(), &ChatWindow::jobSubmitted);
    Composer *composer = m_window->composer();
    composer->setFocus();
    composer->setPlainText(u"今天"_s);
    composer->moveCursor(QTextCursor::End);
    QInputMethodEvent composing(u"you"_s, {});

    QCoreApplication::sendEvent(composer, &composing);
    QTest::keyClick(composer, Qt::Key_Return);
    QTest::keyClick(composer, Qt::Key_Return, Qt::ControlModifier);
    const int submittedWhileComposing = submitted.count();
    QInputMethodEvent commit;
    commit.setCommitString(u"有"_s);
    QCoreApplication::sendEvent(composer, &commit);

    EXPECT_EQ(submittedWhileComposing, 0);
    EXPECT_EQ(composer->toPlainText(), u"今天有"_s);
}

TEST_F(ChatWindowTest, ShowsTheSimplifiedChineseTranslation)
{
    const bool installed = installTranslations(QLocale(QLocale::Chinese, QLocale::China));
    openWindow();
    const QString send = m_window->sendButton()->text();
    const QString stop = m_window->stopButton()->text();
    m_window->grab().save(artifactPath(u"chatwindow-zh_CN.png"_s));
    removeTranslations();

    EXPECT_TRUE(installed);
    EXPECT_EQ(send, u"发送"_s);
    EXPECT_EQ(stop, u"停止"_s);
}

TEST_F(ChatWindowTest, RendersAMarkdownAnswerAsItStreams)
{
    const QString content = u"## 今日要点\n\nHere is **bold**, `inline code` and a "
                            "[link](https://example.org).\n\n"
                            "- first item\n- second item\n\n"
                            "```python\ndef hello():\n    return \"你好\"\n```\n\n"
                            "| model | tokens/s |\n|---|---|\n| r1 | 42 |\n\n"
                            "> A quoted line.\n\nThe end."_s;
    m_provider.setDefaultScenario(FakeProvider::contentScenario(content, 5).inChunks(40, 5ms));
    openWindow();

    sendPrompt(u"Show me Markdown"_s);
    ASSERT_TRUE(waitForFinished());
    m_window->grab().save(artifactPath(u"chatwindow-markdown.png"_s));
    QTextDocument *document = lastMessage()->answerView()->document();
    int headings = 0;
    int codeLines = 0;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        headings += block.blockFormat().headingLevel() > 0 ? 1 : 0;
        codeLines += block.blockFormat().hasProperty(QTextFormat::BlockCodeFence) ? 1 : 0;
    }

    EXPECT_EQ(headings, 1);
    EXPECT_EQ(codeLines, 2);
    EXPECT_FALSE(document->toPlainText().contains(u"**"_s));
    EXPECT_FALSE(document->toPlainText().contains(u"```"_s));
    EXPECT_TRUE(document->toHtml().contains(u"<table"_s));
}
