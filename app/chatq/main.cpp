// chatq: the console tool. Submits, watches and runs chat jobs for scripts and developers.

#include "app/chatq/askcommand.h"
#include "app/chatq/askoptions.h"
#include "app/chatq/consoleoutput.h"
#include "app/chatq/interruptwatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {

constexpr int kExitUsage = 2;

QString overview()
{
    return u"Usage: chatq COMMAND [OPTIONS]\n"
           "\n"
           "Commands:\n"
           "  ask PROMPT     submit one job, stream its answer to stdout, exit when it ends\n"
           "\n"
           "Run `chatq COMMAND --help` for the options of a command.\n"
           "Options: --help, --version\n"
           "\n"
           "Exit status: 0 completed, 1 failed, 2 bad usage, 130 interrupted.\n"_s;
}

// Runs a command's coroutine and ends the event loop with its exit status. A plain function,
// not a capturing lambda: a coroutine must not outlive the closure it captures from.
QCoro::Task<void> runToExit(QCoro::Task<int> command)
{
    const int status = co_await std::move(command);
    QCoreApplication::exit(status);
}

int runAsk(const QStringList &arguments)
{
    auto options = parseAskOptions(arguments);
    if (!options) {
        if (options.error().helpRequested) {
            console::out(options.error().message);
            return 0;
        }
        console::err(u"chatq ask: %1\n"_s.arg(options.error().message));
        return kExitUsage;
    }

    InterruptWatcher interrupts;
    AskCommand command(options.value(), &interrupts);
    QTimer::singleShot(0, &command, [&command] { runToExit(command.run()); });
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"ChatQueue"_s);
    QCoreApplication::setApplicationName(u"chatq"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(CHATQUEUE_VERSION));
    console::setUp();

    const QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.value(1);

    // The answer owns the terminal: lifecycle logs only for a worker, or when asked for
    // with QT_LOGGING_RULES (e.g. "chatqueue.*.info=true").
    if (command != u"worker"_s && qEnvironmentVariableIsEmpty("QT_LOGGING_RULES")) {
        QLoggingCategory::setFilterRules(u"chatqueue.*.info=false"_s);
    }
    if (command.isEmpty() || command == u"--help"_s || command == u"-h"_s
        || command == u"help"_s) {
        console::out(overview());
        return command.isEmpty() ? kExitUsage : 0;
    }
    if (command == u"--version"_s || command == u"-v"_s) {
        console::out(u"chatq %1\n"_s.arg(QCoreApplication::applicationVersion()));
        return 0;
    }

    // Each command parses its own options; the first argument stays as the program name.
    QStringList commandArguments = arguments.mid(2);
    commandArguments.prepend(arguments.first() + u' ' + command);
    if (command == u"ask"_s) {
        return runAsk(commandArguments);
    }

    console::err(u"chatq: unknown command \"%1\"\n\n"_s.arg(command) + overview());
    return kExitUsage;
}
