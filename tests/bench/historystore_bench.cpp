// The history store on a long conversation: a linear conversation of 2,000 messages with a
// few regenerated answers, in a real SQLite file. Prints the median and the slowest of each
// call the window makes on the UI thread, in milliseconds of wall time, and the processor
// time per call, which a busy machine disturbs less.

#include "core/store/historystore.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

using namespace Qt::StringLiterals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kMessages = 2000;
constexpr int kRounds = 50;

// Runs `call` kRounds times and prints its median and slowest duration, and the mean
// processor time.
void measure(const char *name, const std::function<void()> &call)
{
    std::vector<double> durations;
    const std::clock_t cpuStart = std::clock();
    for (int round = 0; round < kRounds; ++round) {
        const Clock::time_point start = Clock::now();
        call();
        const std::chrono::duration<double, std::milli> spent = Clock::now() - start;
        durations.push_back(spent.count());
    }
    const double cpuMs = 1000.0 * double(std::clock() - cpuStart) / CLOCKS_PER_SEC / kRounds;

    std::sort(durations.begin(), durations.end());
    std::printf("%-34s median %7.3f ms   max %7.3f ms   cpu %7.3f ms\n",
                name,
                durations[durations.size() / 2],
                durations.back(),
                cpuMs);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    auto opened = HistoryStore::open(dir.filePath(u"history.sqlite"_s));
    if (!dir.isValid() || !opened) {
        std::fprintf(stderr, "cannot open a history file\n");
        return 1;
    }
    HistoryStore &store = **opened;

    // A long conversation whose answers are a few hundred characters each.
    QList<HistoryMessage> source;
    for (int i = 0; i < kMessages; ++i) {
        HistoryMessage message;
        message.role = i % 2 == 0 ? u"user"_s : u"assistant"_s;
        message.content = u"Turn %1. "_s.arg(i).repeated(40);
        source.append(message);
    }
    const auto imported = store.importConversation(Conversation{}, source);
    if (!imported) {
        std::fprintf(stderr, "%s\n", qPrintable(imported.error()));
        return 1;
    }
    const qint64 id = imported->id;
    const QList<HistoryMessage> path = store.messages(id);
    const qint64 midPrompt = path.at(kMessages / 2).id;
    const qint64 firstAnswer = path.at(1).id;

    std::printf("%d messages, %d rounds each\n", kMessages, kRounds);
    measure("messages() whole conversation", [&] { (void)store.messages(id); });
    measure("versions() of an answer", [&] { (void)store.versions(firstAnswer); });
    measure("selectVersion() deep in the tree",
            [&] { (void)store.selectVersion(path.at(kMessages / 2 + 1).id); });
    measure("addReply() regenerate", [&] {
        HistoryMessage answer;
        answer.conversationId = id;
        answer.role = u"assistant"_s;
        (void)store.addReply(answer, midPrompt);
    });
    measure("addMessage() at the end", [&] {
        HistoryMessage message;
        message.conversationId = id;
        message.role = u"user"_s;
        (void)store.addMessage(message);
    });
    measure("deleteMessage() of a version", [&] {
        const QList<HistoryMessage> versions = store.versions(path.at(kMessages / 2 + 1).id);
        (void)store.deleteMessage(versions.last().id);
    });
    return 0;
}
