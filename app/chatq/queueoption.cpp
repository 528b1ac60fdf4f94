#include "app/chatq/queueoption.h"

#include "app/chatq/consoleoutput.h"
#include "app/chatq/exitstatus.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

QCommandLineOption queueOption()
{
    return {u"queue"_s,
            QCoreApplication::translate("chatq",
                                        "Queue URL: memory (in-process) or "
                                        "redis[s]://[user:password@]host:port/db "
                                        "(default $CHATQ_QUEUE, else memory)."),
            u"URL"_s};
}

QString queueUrl(const QCommandLineParser &parser)
{
    if (parser.isSet(u"queue"_s)) {
        return parser.value(u"queue"_s);
    }
    const QString fromEnvironment = qEnvironmentVariable("CHATQ_QUEUE");
    return fromEnvironment.isEmpty() ? u"memory"_s : fromEnvironment;
}

std::optional<int>
parseCommandLine(QCommandLineParser &parser, const QStringList &arguments, int positional)
{
    parser.addHelpOption();
    if (!parser.parse(arguments)) {
        console::err(u"%1: %2\n"_s.arg(arguments.value(0), parser.errorText()));
        return exitstatus::kUsage;
    }
    if (parser.isSet(u"help"_s)) {
        console::out(parser.helpText());
        return exitstatus::kSucceeded;
    }
    if (parser.positionalArguments().size() != positional) {
        console::err(u"%1: expected %2 argument(s), got %3\n\n"_s.arg(
                             arguments.value(0),
                             QString::number(positional),
                             QString::number(parser.positionalArguments().size()))
                     + parser.helpText());
        return exitstatus::kUsage;
    }
    return std::nullopt;
}

Result<std::unique_ptr<JobQueue>, int> openSharedQueue(const QString &url, const QString &command)
{
    if (url == u"memory"_s) {
        console::err(u"chatq %1: needs a shared queue; pass --queue redis://… or set "
                     "CHATQ_QUEUE (the in-process queue ends with this command)\n"_s.arg(command));
        return exitstatus::kUsage;
    }

    auto backend = openQueueBackend(url, QString());
    if (!backend) {
        console::err(u"chatq %1: cannot open queue: %2\n"_s.arg(command, backend.error().message));
        return exitStatusFor(backend.error());
    }
    return backend.value()->connect();
}

int exitStatusFor(const QueueError &error)
{
    return error.kind == QueueError::Kind::Invalid ? exitstatus::kUsage : exitstatus::kFailed;
}
