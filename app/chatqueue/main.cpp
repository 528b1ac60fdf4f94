// The desktop app: a chat window over the configured queue (in-process by default, or a
// shared Redis), served by the app's own worker pool unless the user switched it off.
// Everything else lives in the core and ui libraries.

#include "core/queue/jobqueue.h"
#include "core/settings/appsettings.h"
#include "core/settings/profileregistry.h"
#include "core/settings/queuesettings.h"
#include "core/settings/secretstore.h"
#include "core/store/historystore.h"
#include "core/util/interruptwatcher.h"
#include "core/worker/workerpool.h"
#include "ui/chat/chatwindow.h"
#include "ui/conversations/conversationhistory.h"
#include "ui/i18n/translations.h"
#include "ui/settings/providersettingspanel.h"
#include "ui/theme/theme.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QIcon>
#include <QLocale>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QNetworkProxyFactory>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>

#include "logfile.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcApp, "chatqueue.app")

namespace {

// The queue settings with the password from the keychain. The keychain answers
// asynchronously, so a local event loop runs until it has, before any window exists.
LoadedQueueSettings readQueueSettings(AppSettings *settings, SecretStore *secrets)
{
    std::optional<LoadedQueueSettings> loaded;
    QEventLoop loop;
    QCoro::connect(loadQueueSettings(settings, secrets),
                   &loop,
                   [&loaded, &loop](LoadedQueueSettings value) {
                       loaded = std::move(value);
                       loop.quit();
                   });
    if (!loaded) {
        loop.exec();
    }
    return std::move(*loaded);
}

// The resident memory of this process in KiB, from /proc; -1 where there is none.
qint64 residentKiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text)) {
        return -1;
    }
    for (QByteArray line = status.readLine(); !line.isEmpty(); line = status.readLine()) {
        if (line.startsWith("VmRSS:")) {
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
        }
    }
    return -1;
}

// With CHATQUEUE_STARTUP_PROBE=1 in the environment the app measures its own start for the
// startup benchmark and quits. It writes one line to stderr:
//   startup-ms <main() to the first frame> frame-steady-ns <that moment> rss-kb <VmRSS>
// The moment is on std::chrono::steady_clock (CLOCK_MONOTONIC on Linux), so the process that
// launched the app can compute the time from its launch. VmRSS is read after the window has
// been idle for 2 s.
class StartupProbe : public QObject
{
public:
    StartupProbe(const QElapsedTimer &sinceMain, QWidget *window)
        : QObject(window)
        , m_sinceMain(sinceMain)
        , m_window(window)
    {
        window->installEventFilter(this);
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_window && event->type() == QEvent::Paint && m_frameMs < 0) {
            m_frameMs = 0;
            // The children paint and the frame is flushed in the same pass as this event;
            // a zero timer fires once that pass is over.
            QTimer::singleShot(0, this, &StartupProbe::onFrame);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    void onFrame()
    {
        m_frameMs = m_sinceMain.elapsed();
        m_frameSteadyNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::steady_clock::now().time_since_epoch())
                                  .count();
        QTimer::singleShot(std::chrono::seconds(2), this, &StartupProbe::report);
    }

    void report()
    {
        std::fprintf(stderr,
                     "startup-ms %lld frame-steady-ns %lld rss-kb %lld\n",
                     static_cast<long long>(m_frameMs),
                     static_cast<long long>(m_frameSteadyNs),
                     static_cast<long long>(residentKiB()));
        std::fflush(stderr);
        QCoreApplication::quit();
    }

    QElapsedTimer m_sinceMain;
    QWidget *m_window;
    qint64 m_frameMs = -1;
    qint64 m_frameSteadyNs = 0;
};

void showQueueError(const QString &message)
{
    QMessageBox::critical(
            nullptr,
            QApplication::translate("main", "ChatQueue"),
            QApplication::translate("main", "The job queue could not be opened:\n%1").arg(message));
}

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer sinceMain;
    sinceMain.start();

    // Qt 6 scales for each monitor's DPI by default; nothing here may set a scale factor or
    // a DPI attribute, or windows would be blurry on a second monitor.
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"ChatQueue"_s);
    QApplication::setApplicationName(u"ChatQueue"_s);
    QApplication::setApplicationVersion(QStringLiteral(CHATQUEUE_VERSION));
    QApplication::setDesktopFileName(u"chatqueue"_s);
    QApplication::setWindowIcon(QIcon(u":/icons/chatqueue-256.png"_s));

    // A profile whose proxy is "System default" follows the desktop's proxy settings.
    QNetworkProxyFactory::setUseSystemConfiguration(true);

    // CHATQUEUE_THEME, when set, wins over the "ui/theme" setting; both take system, light or
    // dark.
    const QString theme = qEnvironmentVariableIsSet("CHATQUEUE_THEME")
                                  ? qEnvironmentVariable("CHATQUEUE_THEME")
                                  : QSettings().value(u"ui/theme"_s).toString();
    applyTheme(app, themeChoiceFromName(theme));

    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDir);
    if (!LogFile::install(dataDir + u"/logs"_s)) {
        qCWarning(lcApp) << "cannot write the log file under" << dataDir;
    }
    qCInfo(lcApp) << "ChatQueue" << CHATQUEUE_VERSION << "starting; data in" << dataDir;

    AppSettings settings;
    // A language chosen in the settings wins over the system's.
    const QString language = settings.language();
    installTranslations(language.isEmpty() ? QLocale::system() : QLocale(language));
    SecretStore secrets(u"ChatQueue"_s);
    const LoadedQueueSettings loaded = readQueueSettings(&settings, &secrets);
    QueueSettings queue = loaded.settings;
    if (!loaded.error.isEmpty()) {
        qCWarning(lcApp) << "cannot read the queue password:" << loaded.error;
    }

    // A queue that cannot be opened leaves the app on its own queue for this session, so
    // that the user can still reach the setting and correct it.
    auto backend = openQueueBackend(queue.connectionUrl(), dataDir);
    if (!backend && !queue.isMemory()) {
        qCCritical(lcApp) << "cannot open the queue:" << backend.error().message;
        showQueueError(QApplication::translate("main",
                                               "%1\n\nChatQueue uses its own queue for "
                                               "this session. Correct the queue under "
                                               "Queue › Connection and restart.")
                               .arg(backend.error().message));
        queue = QueueSettings();
        backend = openQueueBackend(queue.url, dataDir);
    }
    if (!backend) {
        qCCritical(lcApp) << "cannot open the queue:" << backend.error().message;
        showQueueError(backend.error().message);
        return 1;
    }
    qCInfo(lcApp) << "queue:" << (*backend)->describe();

    auto profiles = std::make_shared<ProfileRegistry>();
    // Conversations live in their own SQLite file. Without it the app still chats; it only
    // cannot keep or list conversations, and says so.
    auto history = HistoryStore::open(dataDir + u"/history.sqlite"_s);
    std::unique_ptr<HistoryStore> historyStore;
    if (history) {
        historyStore = std::move(history).value();
        // Conversations deleted in the last session and not restored are gone for good.
        if (const auto purged = historyStore->purgeDeleted(); !purged) {
            qCWarning(lcApp) << purged.error();
        }
    } else {
        qCCritical(lcApp) << "cannot open the history:" << history.error();
        QMessageBox::warning(nullptr,
                             QApplication::translate("main", "ChatQueue"),
                             QApplication::translate("main",
                                                     "The conversation history could not be "
                                                     "opened, so conversations will not be "
                                                     "kept:\n%1")
                                     .arg(history.error()));
    }

    ChatWindow window(*backend, profiles, &settings, &secrets, historyStore.get());
    if (historyStore) {
        new ConversationHistory(&window);
        // The window restored its layout before this dock existed; place the dock as left.
        window.restoreState(settings.windowState());
    }

    // Workers start once the profile holds the stored key, so that a job restored from the
    // last session does not run without it. On a shared queue they claim only the jobs of
    // profiles this app knows, and may be off: remote workers serve then. The in-process
    // queue has no other workers, so there they always run.
    std::unique_ptr<WorkerPool> pool;
    if (queue.runWorkers || queue.isMemory()) {
        WorkerPoolOptions options;
        options.serveAnyProfile = queue.isMemory();
        pool = std::make_unique<WorkerPool>(*backend, profiles, options);
        ProviderSettingsPanel *panel = window.settingsPanel();
        if (panel->isReady()) {
            pool->start();
        } else {
            QObject::connect(panel,
                             &ProviderSettingsPanel::ready,
                             pool.get(),
                             &WorkerPool::start,
                             Qt::SingleShotConnection);
        }
    } else {
        qCInfo(lcApp) << "this app runs no workers; jobs wait for workers elsewhere";
    }

    if (qEnvironmentVariableIntValue("CHATQUEUE_STARTUP_PROBE") == 1) {
        new StartupProbe(sinceMain, &window);
    }
    // SIGTERM or Ctrl+C (a session ending, a service manager) closes the window as the user
    // would: the layout is saved, running jobs are handed back and the history is closed.
    // A second one does not wait any more.
    InterruptWatcher interrupts;
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, &window, [&interrupts, &window] {
        qCInfo(lcApp) << "interrupted; closing";
        if (interrupts.count() > 1) {
            QCoreApplication::exit(1);
            return;
        }
        window.close();
        QCoreApplication::quit();
    });

    window.show();
    const int status = app.exec();
    qCInfo(lcApp) << "ChatQueue exiting";
    return status;
}
