#include "tests/integration/chatqprocess.h"

#include <QCoroProcess>
#include <QCoroTask>
#include <QCoroTimer>
#include <gtest/gtest.h>

#include <QDeadlineTimer>
#include <QTimer>

#ifndef Q_OS_WIN
#  include <csignal>
#endif

using namespace std::chrono_literals;

namespace chatqprocess {

QProcessEnvironment cleanEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name :
         {"OPENAI_BASE_URL", "OPENAI_API_KEY", "CHATQ_MODEL", "CHATQ_QUEUE", "QT_LOGGING_RULES"}) {
        environment.remove(QString::fromLatin1(name));
    }
    return environment;
}

RunResult run(const QStringList &arguments,
              const QProcessEnvironment &environment,
              const std::function<void(QProcess &)> &whileRunning)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(CHATQ_PATH), arguments);

    QCoro::waitFor([&]() -> QCoro::Task<void> {
        if (!co_await qCoro(process).waitForStarted(10s)) {
            co_return;
        }
        if (whileRunning) {
            whileRunning(process);
        }
        co_await qCoro(process).waitForFinished(60s);
    }());

    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
        ADD_FAILURE() << "chatq did not end in time";
    }

    RunResult result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

std::unique_ptr<QProcess> start(const QStringList &arguments,
                                const QProcessEnvironment &environment)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(environment);
    process->start(QStringLiteral(CHATQ_PATH), arguments);
    if (!process->waitForStarted(10000)) {
        ADD_FAILURE() << "chatq did not start: " << process->errorString().toStdString();
    }
    return process;
}

int terminate(QProcess &process)
{
    if (process.state() == QProcess::NotRunning) {
        return process.exitCode();
    }
#ifdef Q_OS_WIN
    process.kill();
#else
    ::kill(pid_t(process.processId()), SIGTERM);
#endif
    QCoro::waitFor(qCoro(process).waitForFinished(60s));
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
        return -1;
    }
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

bool waitUntil(const std::function<bool()> &done, std::chrono::milliseconds timeout)
{
    QDeadlineTimer deadline(timeout);
    while (!done() && !deadline.hasExpired()) {
        QCoro::waitFor(QCoro::sleepFor(20ms));
    }
    return done();
}

} // namespace chatqprocess
