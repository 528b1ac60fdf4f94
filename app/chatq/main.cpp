// chatq: the console tool. Submits, watches and runs chat jobs for scripts and developers.

#include "app/chatq/askcommand.h"
#include "app/chatq/askoptions.h"
#include "app/chatq/batchcommand.h"
#include "app/chatq/consoleoutput.h"
#include "app/chatq/exitstatus.h"
#include "core/util/interruptwatcher.h"
#include "app/chatq/modelscommand.h"
#include "app/chatq/queuecommands.h"
#include "app/chatq/workercommand.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTimer>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

QString overview()
{
    return u"Usage: chatq COMMAND [OPTIONS]\n"
           "\n"
           "Commands:\n"
           "  ask PROMPT     submit one job, stream its answer to stdout, exit when it ends\n"
           "  submit PROMPT  queue one job on a shared queue and print its id\n"
           "  watch ID       stream a job's answer from the start or --from an event id\n"
           "  status ID      print a job's record as JSON\n"
           "  jobs           list recent jobs\n"
           "  cancel ID      cancel a job\n"
           "  workers        list live workers\n"
           "  worker         serve a shared queue without a window\n"
           "  batch FILE     run the requests of a JSONL file, write JSONL results\n"
           "  models         list the models of a profile's provider\n"
           "\n"
           "Every command but models takes --queue URL (default $CHATQ_QUEUE, else the\n"
           "in-process queue). Run `chatq COMMAND --help` for the options of a command.\n"
           "\n"
           "Exit status: 0 completed, 1 failed, 2 bad usage, 3 some requests of a batch\n"
           "failed, 130 interrupted.\n"_s;
}

// Runs a command's coroutine and ends the event loop with its exit status. A plain function,
// not a capturing lambda: a coroutine must not outlive the closure it captures from.
QCoro::Task<void> runToExit(QCoro::Task<int> command)
{
    const int status = co_await std::move(command);
    QCoreApplication::exit(status);
}

int runInEventLoop(const std::function<QCoro::Task<int>()> &command)
{
    QTimer::singleShot(0, qApp, [&command] { runToExit(command()); });
    return QCoreApplication::exec();
}

int dispatch(const QString &command, const QStringList &arguments)
{
    InterruptWatcher interrupts;
    auto *watcher = &interrupts;

    if (command == u"ask"_s) {
        auto options = parseAskOptions(arguments);
        if (!options) {
            if (options.error().helpRequested) {
                console::out(options.error().message);
                return exitstatus::kSucceeded;
            }
            console::err(u"chatq ask: %1\n"_s.arg(options.error().message));
            return exitstatus::kUsage;
        }
        return runInEventLoop([&] { return runAsk(options.value(), watcher); });
    }

    const QHash<QString, std::function<QCoro::Task<int>()>> commands{
            {u"submit"_s,
             [&] {
                 return runSubmit(arguments);
             }},
            {u"watch"_s,
             [&] {
                 return runWatch(arguments, watcher);
             }},
            {u"status"_s,
             [&] {
                 return runStatus(arguments);
             }},
            {u"jobs"_s,
             [&] {
                 return runJobs(arguments);
             }},
            {u"cancel"_s,
             [&] {
                 return runCancel(arguments);
             }},
            {u"workers"_s,
             [&] {
                 return runWorkers(arguments);
             }},
            {u"worker"_s,
             [&] {
                 return runWorker(arguments, watcher);
             }},
            {u"batch"_s,
             [&] {
                 return runBatch(arguments, watcher);
             }},
            {u"models"_s,
             [&] {
                 return runModels(arguments);
             }},
    };
    const auto found = commands.constFind(command);
    if (found == commands.constEnd()) {
        console::err(u"chatq: unknown command \"%1\"\n\n"_s.arg(command) + overview());
        return exitstatus::kUsage;
    }
    return runInEventLoop(found.value());
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

    // The terminal belongs to the answer and to chatq's own lines, which already say what
    // failed; the library's logs appear only when asked for with QT_LOGGING_RULES (e.g.
    // "chatqueue.*.info=true"). A worker keeps the library's warnings: they are its log.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES")) {
        const QString quiet = u"chatqueue.*.debug=false\nchatqueue.*.info=false"_s;
        const QString silent = quiet + u"\nchatqueue.*.warning=false"_s;
        QLoggingCategory::setFilterRules(command == u"worker"_s ? quiet : silent);
    }
    if (command.isEmpty() || command == u"--help"_s || command == u"-h"_s || command == u"help"_s) {
        console::out(overview());
        return command.isEmpty() ? exitstatus::kUsage : exitstatus::kSucceeded;
    }
    if (command == u"--version"_s || command == u"-v"_s) {
        console::out(u"chatq %1\n"_s.arg(QCoreApplication::applicationVersion()));
        return exitstatus::kSucceeded;
    }

    // Each command parses its own options; its first argument names it in messages.
    QStringList commandArguments = arguments.mid(2);
    commandArguments.prepend(u"chatq "_s + command);
    return dispatch(command, commandArguments);
}
