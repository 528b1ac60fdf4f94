// Streams a long Markdown answer into the chat widgets as the worker pool would deliver it
// (coalesced deltas), and prints how long each update took on the UI thread: the longest
// stall, the 99th percentile, and the average of the first and last few hundred updates
// (equal when an update costs the same at the end of a long answer as at its start).
//
//   chatqueue_uistream_bench [tokens] [tokens-per-delta]   (default 100000 40)

#include "ui/chat/conversationview.h"
#include "ui/chat/messagewidget.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// Token n of a reply that mixes paragraphs, lists, code blocks and Chinese text.
QString token(int n)
{
    static const QStringList words{u"stream "_s,
                                   u"queue "_s,
                                   u"worker "_s,
                                   u"中文"_s,
                                   u"**bold** "_s,
                                   u"`code` "_s,
                                   u"answer "_s,
                                   u"token "_s};
    if (n % 400 == 399) {
        return u"\n\n```cpp\nint main()\n{\n    return 0;\n}\n```\n\n"_s;
    }
    if (n % 120 == 119) {
        return u"\n\n- item one\n- item two\n\n"_s;
    }
    if (n % 60 == 59) {
        return u"\n\n"_s;
    }
    return words.at(n % words.size());
}

double average(const std::vector<double> &values, size_t from, size_t count)
{
    double sum = 0;
    for (size_t i = from; i < from + count && i < values.size(); ++i) {
        sum += values[i];
    }
    return count > 0 ? sum / static_cast<double>(count) : 0;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    const int tokens = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 100000;
    const int perDelta = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 40;

    ConversationView view;
    view.resize(900, 700);
    auto *answer = new MessageWidget(MessageWidget::Role::Assistant);
    view.addMessage(answer);
    view.show();
    QApplication::processEvents();

    std::vector<double> updateMs;
    const std::clock_t cpuStart = std::clock();
    QElapsedTimer wall;
    wall.start();
    for (int n = 0; n < tokens;) {
        ChatDelta delta;
        for (int i = 0; i < perDelta && n < tokens; ++i, ++n) {
            delta.content += token(n);
        }

        // One update as the UI thread sees it: the delta, the frame's flush, layout, paint.
        QElapsedTimer timer;
        timer.start();
        answer->appendDelta(delta);
        answer->flush();
        QApplication::processEvents();
        view.viewport()->repaint();
        updateMs.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    QElapsedTimer finishTimer;
    finishTimer.start();
    answer->finish(JobRecord{});
    QApplication::processEvents();
    const double finishMs = static_cast<double>(finishTimer.nsecsElapsed()) / 1e6;
    const double cpuSeconds = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;

    std::vector<double> sorted = updateMs;
    std::sort(sorted.begin(), sorted.end());
    const size_t window = std::min<size_t>(300, updateMs.size() / 2);
    std::printf("tokens %d, updates %zu, characters %lld\n",
                tokens,
                updateMs.size(),
                static_cast<long long>(answer->answerText().size()));
    std::printf("update ms: max %.2f, p99 %.2f, p50 %.2f\n",
                sorted.back(),
                sorted[sorted.size() * 99 / 100],
                sorted[sorted.size() / 2]);
    std::printf("update ms: first %zu avg %.2f, last %zu avg %.2f\n",
                window,
                average(updateMs, 0, window),
                window,
                average(updateMs, updateMs.size() - window, window));
    std::printf("final render ms %.2f; wall s %.2f; cpu s %.2f\n",
                finishMs,
                static_cast<double>(wall.elapsed()) / 1000.0,
                cpuSeconds);
    return 0;
}
