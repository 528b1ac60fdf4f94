#include "app/chatq/interruptwatcher.h"

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

// Runs on a thread the console creates; only queues a call to the watcher's thread.
BOOL WINAPI consoleHandler(DWORD type)
{
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT && type != CTRL_CLOSE_EVENT) {
        return FALSE;
    }
    if (g_watcher) {
        QMetaObject::invokeMethod(
                g_watcher,
                [] { g_watcher->handleInterrupt(); },
                Qt::QueuedConnection);
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
        handleInterrupt();
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

void InterruptWatcher::handleInterrupt()
{
    ++m_count;
    Q_EMIT interrupted();
}
