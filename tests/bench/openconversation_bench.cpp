// Opening a long stored conversation: a history with one conversation of 2,000 turns
// (alternating prompt and answer, Markdown of 200–1,500 characters with paragraphs, lists
// and code blocks), a chat window wired to it as the app wires it (in-process queue), and
// the time from ConversationHistory::openConversation() until the conversation's first frame
// is painted. Also the time HistoryStore::messages() takes alone. Not a test: run it.
//
//   QT_QPA_PLATFORM=offscreen bench_openconversation [messages] [runs]   (default 2000 5)

#include "core/queue/jobqueue.h"
#include "core/settings/appsettings.h"
#include "core/settings/profileregistry.h"
#include "core/settings/secretstore.h"
#include "core/store/historystore.h"
#include "ui/chat/chatwindow.h"
#include "ui/chat/conversationview.h"
#include "ui/conversations/conversationhistory.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

const QStringList kSentences{
        u"The queue keeps every request as a job, so nothing is lost when the window closes."_s,
        u"Workers claim jobs, stream the provider's answer and append it to the job's log."_s,
        u"A reader can follow that log from any position and render what it finds."_s,
        u"Use **bold** for the point that matters and `inline code` for names."_s,
        u"队列中的每个请求都是一个任务，窗口关闭后也不会丢失。"_s,
        u"Retries back off exponentially, with jitter, and honour `Retry-After`."_s,
        u"Cancellation reaches a running stream within one flush interval."_s,
        u"See [the design notes](https://example.invalid/design) for the wire format."_s,
};

const QStringList kCodeBlocks{
        u"```python\ndef squares(n):\n    return [x * x for x in range(n)]\n\n"
        u"print(squares(10))\n```"_s,
        u"```cpp\nint main()\n{\n    std::vector<int> values{3, 1, 2};\n"
        u"    std::sort(values.begin(), values.end());\n    return 0;\n}\n```"_s,
        u"```sh\ncmake -S . -B build -G Ninja\ncmake --build build\n```"_s,
};

// A Markdown turn of about `length` characters.
QString turnText(QRandomGenerator &random, int length, bool assistant)
{
    QString text;
    while (text.size() < length) {
        const int kind = assistant ? int(random.bounded(10)) : 0;
        if (kind == 8) {
            text += kCodeBlocks.at(random.bounded(kCodeBlocks.size()));
        } else if (kind == 9) {
            for (int i = 0; i < 3; ++i) {
                text += u"- "_s + kSentences.at(random.bounded(kSentences.size())) + u'\n';
            }
        } else {
            for (int i = 0; i < 3; ++i) {
                text += kSentences.at(random.bounded(kSentences.size())) + u' ';
            }
        }
        text += u"\n\n"_s;
    }
    return text;
}

qint64 fillConversation(HistoryStore &store, int count)
{
    const auto conversation = store.createConversation(u"A long conversation"_s);
    if (!conversation) {
        qFatal("cannot create the conversation: %s", qPrintable(conversation.error()));
    }

    QRandomGenerator random(2000);
    for (int i = 0; i < count; ++i) {
        const bool assistant = i % 2 == 1;
        HistoryMessage message;
        message.conversationId = conversation->id;
        message.role = assistant ? u"assistant"_s : u"user"_s;
        message.content = turnText(random, 200 + int(random.bounded(1300)), assistant);
        if (assistant) {
            message.jobId = u"job-%1"_s.arg(i);
            message.status = u"succeeded"_s;
        }
        const auto added = store.addMessage(message);
        if (!added) {
            qFatal("cannot add a message: %s", qPrintable(added.error()));
        }
    }
    return conversation->id;
}

// Notes the first paint of a widget after arm(), and when the frame it belongs to is done.
class PaintWatch : public QObject
{
public:
    void watch(QWidget *widget) { widget->installEventFilter(this); }

    void arm(const QElapsedTimer *clock)
    {
        m_clock = clock;
        m_firstPaintMs = -1;
        m_frameDoneMs = -1;
    }

    qint64 firstPaintMs() const { return m_firstPaintMs; }

    qint64 frameDoneMs() const { return m_frameDoneMs; }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (m_clock && event->type() == QEvent::Paint && m_firstPaintMs < 0) {
            m_firstPaintMs = m_clock->elapsed();
            // The rest of the window paints and is flushed in this same pass.
            QTimer::singleShot(0, this, [this] { m_frameDoneMs = m_clock->elapsed(); });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    const QElapsedTimer *m_clock = nullptr;
    qint64 m_firstPaintMs = -1;
    qint64 m_frameDoneMs = -1;
};

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    const int count = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 2000;
    const int runs = argc > 2 ? std::max(1, QString::fromLocal8Bit(argv[2]).toInt()) : 5;

    QTemporaryDir dataDir;
    auto opened = HistoryStore::open(dataDir.filePath(u"history.sqlite"_s));
    if (!opened) {
        qFatal("cannot open the history: %s", qPrintable(opened.error()));
    }
    std::unique_ptr<HistoryStore> store = std::move(opened).value();
    QElapsedTimer fillTimer;
    fillTimer.start();
    const qint64 id = fillConversation(*store, count);
    qint64 characters = 0;
    for (const HistoryMessage &message : store->messages(id)) {
        characters += message.content.size();
    }
    std::printf("history: %d messages, %lld characters, written in %lld ms\n",
                count,
                static_cast<long long>(characters),
                static_cast<long long>(fillTimer.elapsed()));

    auto backend = openQueueBackend(u"memory"_s, dataDir.path());
    if (!backend) {
        qFatal("cannot open the queue: %s", qPrintable(backend.error().message));
    }
    auto profiles = std::make_shared<ProfileRegistry>();
    AppSettings settings(dataDir.filePath(u"settings.ini"_s));
    SecretStore secrets(u"ChatQueueBench"_s, SecretStore::Mode::SessionOnly);
    ChatWindow window(*backend, profiles, &settings, &secrets, store.get());
    auto *history = new ConversationHistory(&window);
    window.resize(1100, 800);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window, 10000)) {
        qFatal("the window was never exposed");
    }
    QTest::qWait(200);

    PaintWatch paints;

    std::vector<double> messagesMs;
    std::vector<double> openCallMs;
    std::vector<double> firstPaintMs;
    std::vector<double> frameMs;
    std::vector<double> cpuMs;
    std::printf("run  messages() ms  openConversation() ms  ->first paint ms  ->frame done ms"
                "  cpu ms  turns built\n");
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer messagesTimer;
        messagesTimer.start();
        const QList<HistoryMessage> messages = store->messages(id);
        messagesMs.push_back(double(messagesTimer.nsecsElapsed()) / 1e6);

        QElapsedTimer clock;
        paints.arm(&clock);
        const std::clock_t cpuStart = std::clock();
        clock.start();
        history->openConversation(id);
        openCallMs.push_back(double(clock.nsecsElapsed()) / 1e6);

        // Each conversation has its own view; the one just opened has not painted yet.
        paints.watch(window.conversation()->viewport());
        paints.watch(window.conversation()->widget());
        if (!QTest::qWaitFor([&paints] { return paints.frameDoneMs() >= 0; }, 60000)) {
            qFatal("the conversation was never painted");
        }
        firstPaintMs.push_back(double(paints.firstPaintMs()));
        frameMs.push_back(double(paints.frameDoneMs()));
        // The process's CPU time to the end of the frame (a little after it): on a busy
        // machine the wall time also counts waiting for a core.
        cpuMs.push_back(double(std::clock() - cpuStart) * 1000.0 / CLOCKS_PER_SEC);
        std::printf("%3d  %13.1f  %21.1f  %16.0f  %15.0f  %6.0f  %11lld\n",
                    run + 1,
                    messagesMs.back(),
                    openCallMs.back(),
                    firstPaintMs.back(),
                    frameMs.back(),
                    cpuMs.back(),
                    static_cast<long long>(window.conversation()->messages().size()));

        // Back to an empty window before the next run, its turns deleted.
        paints.arm(nullptr);
        window.newConversation();
        QTest::qWait(300);
    }
    std::printf("median of %d: messages() %.1f ms; openConversation() %.1f ms; first paint "
                "%.0f ms; frame done %.0f ms (first run %.0f ms); cpu %.0f ms\n",
                runs,
                median(messagesMs),
                median(openCallMs),
                median(firstPaintMs),
                median(frameMs),
                frameMs.front(),
                median(cpuMs));
    return 0;
}
