// Cold start of the desktop app: launches the real `chatqueue` five times, each with a fresh
// home, configuration and data directory (so a first run: an empty history, the in-process
// queue) under QT_QPA_PLATFORM=offscreen, and prints how long each took to its first frame
// and how much memory it held once idle. Not a test: run it.
//
// The app, started with CHATQUEUE_STARTUP_PROBE=1, writes one line to stderr and quits:
//   startup-ms <main() to the first frame> frame-steady-ns <that moment> rss-kb <VmRSS>
// The moment is on the steady clock (CLOCK_MONOTONIC), which this process reads too just
// before it launches the app, so "launch" below includes loading the executable and its
// libraries, which main() cannot see.
//
//   bench_startup [runs]   (default 5)

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <vector>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

struct StartupRun
{
    double launchToFrameMs = 0;
    double mainToFrameMs = 0;
    double wallMs = 0; // launch to exit, 2 s of idling included
    qint64 rssKiB = 0;
};

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
}

std::optional<StartupRun> runOnce()
{
    QTemporaryDir home;
    if (!home.isValid()) {
        std::fprintf(stderr, "cannot create a temporary directory\n");
        return std::nullopt;
    }
    const QString runtimeDir = home.filePath(u"runtime"_s);
    QDir().mkpath(runtimeDir);
    QFile::setPermissions(runtimeDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"HOME"_s, home.path());
    environment.insert(u"XDG_CONFIG_HOME"_s, home.filePath(u"config"_s));
    environment.insert(u"XDG_DATA_HOME"_s, home.filePath(u"data"_s));
    environment.insert(u"XDG_CACHE_HOME"_s, home.filePath(u"cache"_s));
    environment.insert(u"XDG_RUNTIME_DIR"_s, runtimeDir);
    environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    environment.insert(u"CHATQUEUE_STARTUP_PROBE"_s, u"1"_s);
    environment.remove(u"CHATQUEUE_THEME"_s);

    QProcess app;
    app.setProcessEnvironment(environment);
    app.setWorkingDirectory(home.path());
    const qint64 launchNs = steadyNs();
    app.start(QStringLiteral(CHATQUEUE_APP_PATH), {});
    if (!app.waitForFinished(30000)) {
        std::fprintf(stderr, "chatqueue did not quit within 30 s\n");
        app.kill();
        app.waitForFinished();
        return std::nullopt;
    }
    const double wallMs = double(steadyNs() - launchNs) / 1e6;

    static const QRegularExpression probeLine(
            uR"(startup-ms (\d+) frame-steady-ns (\d+) rss-kb (-?\d+))"_s);
    const QString errors = QString::fromLocal8Bit(app.readAllStandardError());
    const QRegularExpressionMatch match = probeLine.match(errors);
    if (!match.hasMatch()) {
        std::fprintf(stderr, "no probe line from chatqueue; it wrote:\n%s\n", qPrintable(errors));
        return std::nullopt;
    }

    StartupRun run;
    run.mainToFrameMs = match.captured(1).toDouble();
    run.launchToFrameMs = double(match.captured(2).toLongLong() - launchNs) / 1e6;
    run.rssKiB = match.captured(3).toLongLong();
    run.wallMs = wallMs;
    return run;
}

template <typename T>
double median(std::vector<T> values)
{
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    return values.size() % 2 == 1 ? double(values[middle])
                                  : (double(values[middle - 1]) + double(values[middle])) / 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, QString::fromLocal8Bit(argv[1]).toInt()) : 5;

    std::vector<double> launchToFrame;
    std::vector<double> mainToFrame;
    std::vector<qint64> rss;
    std::printf("run  launch->frame ms  main->frame ms  idle VmRSS KiB  launch->exit ms\n");
    for (int i = 0; i < runs; ++i) {
        const std::optional<StartupRun> run = runOnce();
        if (!run) {
            return 1;
        }
        std::printf("%3d  %16.1f  %14.1f  %14lld  %15.1f\n",
                    i + 1,
                    run->launchToFrameMs,
                    run->mainToFrameMs,
                    static_cast<long long>(run->rssKiB),
                    run->wallMs);
        launchToFrame.push_back(run->launchToFrameMs);
        mainToFrame.push_back(run->mainToFrameMs);
        rss.push_back(run->rssKiB);
    }
    std::printf("median of %d: launch->first frame %.1f ms, main()->first frame %.1f ms, "
                "idle VmRSS %.0f KiB (%.1f MiB)\n",
                runs,
                median(launchToFrame),
                median(mainToFrame),
                median(rss),
                median(rss) / 1024.0);
    return 0;
}
