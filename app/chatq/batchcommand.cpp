#include "app/chatq/batchcommand.h"

#include "app/chatq/batchinput.h"
#include "app/chatq/batchoutput.h"
#include "app/chatq/batchrunner.h"
#include "app/chatq/consoleoutput.h"
#include "app/chatq/exitstatus.h"
#include "app/chatq/provideroptions.h"
#include "app/chatq/queueoption.h"
#include "core/queue/jobqueue.h"
#include "core/settings/profileregistry.h"
#include "core/worker/workerpool.h"

#include <QCoroSignal>

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("chatq", text);
}

void addBatchOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
            tr("Run every request of a JSONL file as a job and write one JSONL result per "
               "request as it ends."));
    parser.addOptions({
            queueOption(),
            {u"concurrency"_s, tr("Jobs in flight at once (default 4)."), u"N"_s, u"4"_s},
            {u"output"_s,
             tr("Append results to FILE instead of stdout; a later run skips the requests "
                "it already holds a final result for."),
             u"FILE"_s},
            {u"model"_s,
             tr("Model of the requests that name none (default $CHATQ_MODEL)."),
             u"NAME"_s},
            {u"profile"_s,
             tr("Profile of the requests that name none (default \"default\")."),
             u"NAME"_s,
             u"default"_s},
            {u"base-url"_s,
             tr("In-process queue: the API base URL (default $OPENAI_BASE_URL, else %1).")
                     .arg(defaultBaseUrl()),
             u"URL"_s},
            {u"api-key-env"_s,
             tr("In-process queue: the environment variable holding the API key (default "
                "OPENAI_API_KEY)."),
             u"VAR"_s,
             u"OPENAI_API_KEY"_s},
    });
    parser.addPositionalArgument(u"input"_s, tr("The JSONL file of requests; - reads stdin."));
}

Result<QByteArray, QString> readInput(const QString &path)
{
    QFile input;
    const bool opened = path == u"-"_s ? input.open(stdin, QIODevice::ReadOnly)
                                       : (input.setFileName(path), input.open(QIODevice::ReadOnly));
    if (!opened) {
        return u"cannot read %1: %2"_s.arg(path, input.errorString());
    }
    return input.readAll();
}

} // namespace

QCoro::Task<int> runBatch(QStringList arguments, InterruptWatcher *interrupts)
{
    QCommandLineParser parser;
    addBatchOptions(parser);
    if (const auto exit = parseCommandLine(parser, arguments, 1)) {
        co_return *exit;
    }
    bool ok = false;
    const int concurrency = parser.value(u"concurrency"_s).toInt(&ok);
    if (!ok || concurrency <= 0) {
        console::err(u"chatq batch: --concurrency must be a positive whole number\n"_s);
        co_return exitstatus::kUsage;
    }
    const auto profile = profileFromOptions(parser);
    if (!profile) {
        console::err(u"chatq batch: %1\n"_s.arg(profile.error()));
        co_return exitstatus::kUsage;
    }
    // Results appended to the requests would be read back as requests by the next run.
    const QString inputPath = parser.positionalArguments().first();
    if (parser.isSet(u"output"_s) && QFileInfo(inputPath).exists()
        && QFileInfo(parser.value(u"output"_s)).canonicalFilePath()
                   == QFileInfo(inputPath).canonicalFilePath()) {
        console::err(u"chatq batch: the output file must not be the input file\n"_s);
        co_return exitstatus::kUsage;
    }
    const auto input = readInput(inputPath);
    if (!input) {
        console::err(u"chatq batch: %1\n"_s.arg(input.error()));
        co_return exitstatus::kUsage;
    }

    BatchOutput output;
    if (parser.isSet(u"output"_s)) {
        const auto opened = output.open(parser.value(u"output"_s));
        if (!opened) {
            console::err(u"chatq batch: %1\n"_s.arg(opened.error()));
            co_return exitstatus::kFailed;
        }
    }

    // What an earlier run finished is not run again; it still counts for the exit status.
    BatchDefaults defaults;
    defaults.model = parser.isSet(u"model"_s) ? parser.value(u"model"_s)
                                              : qEnvironmentVariable("CHATQ_MODEL");
    defaults.profile = parser.value(u"profile"_s);
    QList<BatchItem> items;
    int skipped = 0;
    int skippedFailed = 0;
    for (BatchItem &item : parseBatchInput(input.value(), defaults)) {
        const auto done = output.finalResults().constFind(item.key);
        if (item.request && done != output.finalResults().constEnd()) {
            ++skipped;
            skippedFailed += done.value() ? 0 : 1;
            continue;
        }
        items.append(std::move(item));
    }

    const QString url = queueUrl(parser);
    auto backend = openQueueBackend(url, QString());
    if (!backend) {
        console::err(
                u"chatq batch: cannot open queue %1: %2\n"_s.arg(url, backend.error().message));
        co_return exitStatusFor(backend.error());
    }
    std::unique_ptr<WorkerPool> pool;
    if (url == u"memory"_s) {
        auto profiles = std::make_shared<ProfileRegistry>();
        profiles->insert(profile.value());
        WorkerPoolOptions poolOptions;
        poolOptions.threads = 1;
        poolOptions.streamsPerThread = concurrency;
        pool = std::make_unique<WorkerPool>(backend.value(), profiles, poolOptions);
        pool->start();
    }

    BatchRunner runner(backend.value().get(), items, concurrency, &output, interrupts);
    runner.start();
    if (!runner.hasEnded()) {
        co_await qCoro(&runner, &BatchRunner::ended);
    }
    if (pool) {
        co_await pool->stop(1s);
    }

    console::err(tr("chatq batch: %1 succeeded, %2 failed, %3 invalid; %4 skipped as done "
                    "before (%5 of them failed)\n")
                         .arg(runner.succeeded())
                         .arg(runner.failed())
                         .arg(runner.invalid())
                         .arg(skipped)
                         .arg(skippedFailed));
    if (runner.interrupted()) {
        co_return exitstatus::kInterrupted;
    }
    if (runner.outputFailed()) {
        co_return exitstatus::kFailed;
    }
    const bool allSucceeded = runner.failed() == 0 && runner.invalid() == 0 && skippedFailed == 0;
    co_return allSucceeded ? exitstatus::kSucceeded : exitstatus::kSomeFailed;
}
