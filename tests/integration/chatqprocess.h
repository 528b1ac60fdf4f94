#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

// Running the built `chatq` binary from a test, while the test's own event loop keeps
// serving (the fake provider lives in the test process).
namespace chatqprocess {

struct RunResult
{
    int exitCode = -1; // -1 when chatq crashed or had to be killed
    QString out;
    QString err;
};

// The environment without the caller's provider and queue settings, so a developer's own
// key, base URL or queue never leaks into a test run.
QProcessEnvironment cleanEnvironment();

// Runs chatq to its end (at most a minute). `whileRunning` is called once it has started.
RunResult run(const QStringList &arguments,
              const QProcessEnvironment &environment = cleanEnvironment(),
              const std::function<void(QProcess &)> &whileRunning = {});

// Starts a long-running chatq (a worker) and returns at once; the caller stops it.
std::unique_ptr<QProcess> start(const QStringList &arguments,
                                const QProcessEnvironment &environment = cleanEnvironment());

// Sends SIGTERM (POSIX) and waits for the process to end, running the event loop.
// Returns its exit code, or -1 when it had to be killed.
int terminate(QProcess &process);

// Runs the event loop until `done` holds or `timeout` passes; returns `done()`.
bool waitUntil(const std::function<bool()> &done, std::chrono::milliseconds timeout);

} // namespace chatqprocess
