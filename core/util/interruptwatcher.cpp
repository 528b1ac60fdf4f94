#include "core/util/interruptwatcher.h"

#include <QMetaObject>

#ifdef Q_OS_WIN
#  include <windows.h>
#else
#  include <QSocketNotifier>

#  include <csignal>

#  include <fcntl.h>
#  include <sys/socket.h>
#  include <unistd.h>
#endif

namespace {

InterruptWatcher *g_watcher = nullptr;

#ifdef Q_OS_WIN

// Set when the watcher goes away, that is when the command has finished cleaning up.
HANDLE g_cleanedUp = nullptr;

// Windows ends the process as soon as this returns from a CTRL_CLOSE_EVENT, and at most
// about five seconds later in any case: wait, within that bound, for the command to hand
// its jobs back.
constexpr DWORD kCloseWaitMs = 4500;

// Runs on a thread the console creates; queues a call to the watcher's thread.
BOOL WINAPI consoleHandler(DWORD type)
{
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT && type != CTRL_CLOSE_EVENT) {
        return FALSE;
    }
    const bool closing = type == CTRL_CLOSE_EVENT;
    if (g_watcher) {
        QMetaObject::invokeMethod(
                g_watcher,
                [closing] { g_watcher->handleInterrupt(closing); },
                Qt::QueuedConnection);
    }
    if (closing && g_cleanedUp) {
        WaitForSingleObject(g_cleanedUp, kCloseWaitMs);
    }
    return TRUE;
}

#else

// The self-pipe trick: a signal handler may only write to a descriptor; a socket notifier
// reads it on the event loop.
int g_signalFds[2] = {-1, -1};

void signalHandler(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(g_signalFds[0], &byte, 1);
}

#endif

} // namespace

InterruptWatcher::InterruptWatcher(QObject *parent)
    : QObject(parent)
{
    Q_ASSERT(!g_watcher);
    g_watcher = this;

#ifdef Q_OS_WIN
    g_cleanedUp = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    SetConsoleCtrlHandler(consoleHandler, TRUE);
#else
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0) {
        return;
    }
    ::fcntl(g_signalFds[0], F_SETFD, FD_CLOEXEC);
    ::fcntl(g_signalFds[1], F_SETFD, FD_CLOEXEC);

    auto *notifier = new QSocketNotifier(g_signalFds[1], QSocketNotifier::Read, this);
    connect(notifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        [[maybe_unused]] const ssize_t got = ::read(g_signalFds[1], &byte, 1);
        handleInterrupt(false);
    });

    struct sigaction action = {};
    action.sa_handler = signalHandler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
#endif
}

InterruptWatcher::~InterruptWatcher()
{
#ifdef Q_OS_WIN
    SetConsoleCtrlHandler(consoleHandler, FALSE);
    if (g_cleanedUp) {
        SetEvent(g_cleanedUp);
    }
#else
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
#endif
    g_watcher = nullptr;
}

int InterruptWatcher::count() const
{
    return m_count;
}

bool InterruptWatcher::isConsoleClosing() const
{
    return m_consoleClosing;
}

void InterruptWatcher::handleInterrupt(bool consoleClosing)
{
    m_consoleClosing = m_consoleClosing || consoleClosing;
    ++m_count;
    Q_EMIT interrupted();
}
