#include "app/chatq/queuecommands.h"

#include "app/chatq/consoleoutput.h"
#include "app/chatq/exitstatus.h"
#include "app/chatq/jobprinter.h"
#include "app/chatq/queueoption.h"

#include <QCoroSignal>

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("chatq", text);
}

void printJson(const QJsonObject &object)
{
    console::out(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) + u'\n');
}

// `chatq status` prints the object of `ask --json` plus where the job ran and how often.
QJsonObject statusJson(const JobRecord &record)
{
    QJsonObject object = record.toResultJson();
    object.insert(u"attempts"_s, record.attempts);
    object.insert(u"worker"_s, record.worker.isEmpty() ? QJsonValue() : QJsonValue(record.worker));
    object.insert(u"profile"_s, record.request.profile);
    object.insert(u"model"_s, record.request.model);
    return object;
}

QString age(qint64 sinceMs)
{
    if (sinceMs <= 0) {
        return u"-"_s;
    }
    const qint64 seconds = (QDateTime::currentMSecsSinceEpoch() - sinceMs) / 1000;
    if (seconds < 120) {
        return u"%1s"_s.arg(seconds);
    }
    if (seconds < 7200) {
        return u"%1m"_s.arg(seconds / 60);
    }
    return u"%1h"_s.arg(seconds / 3600);
}

} // namespace

QCoro::Task<int> runSubmit(QStringList arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Queue one job and print its id."));
    parser.addOptions({
            queueOption(),
            {u"profile"_s,
             tr("Profile the job asks for (default \"default\")."),
             u"NAME"_s,
             u"default"_s},
            {u"model"_s, tr("Model name (default $CHATQ_MODEL)."), u"NAME"_s},
            {u"system"_s, tr("System prompt."), u"TEXT"_s},
            {u"temperature"_s, tr("Sampling temperature, 0 to 2."), u"X"_s},
            {u"max-tokens"_s, tr("Most tokens to generate."), u"N"_s},
    });
    parser.addPositionalArgument(u"prompt"_s, tr("The question to ask."));
    if (const auto exit = parseCommandLine(parser, arguments, 1)) {
        co_return *exit;
    }

    ChatRequest request;
    request.profile = parser.value(u"profile"_s);
    request.model = parser.isSet(u"model"_s) ? parser.value(u"model"_s)
                                             : qEnvironmentVariable("CHATQ_MODEL");
    if (request.model.isEmpty()) {
        console::err(u"chatq submit: no model: pass --model NAME or set CHATQ_MODEL\n"_s);
        co_return exitstatus::kUsage;
    }
    if (parser.isSet(u"system"_s)) {
        request.messages.append({u"system"_s, parser.value(u"system"_s), {}});
    }
    request.messages.append({u"user"_s, parser.positionalArguments().first(), {}});
    if (parser.isSet(u"temperature"_s)) {
        bool ok = false;
        request.temperature = parser.value(u"temperature"_s).toDouble(&ok);
        if (!ok || !std::isfinite(*request.temperature) || *request.temperature < 0.0
            || *request.temperature > 2.0) {
            console::err(u"chatq submit: --temperature must be a number from 0 to 2\n"_s);
            co_return exitstatus::kUsage;
        }
    }
    if (parser.isSet(u"max-tokens"_s)) {
        bool ok = false;
        request.maxTokens = parser.value(u"max-tokens"_s).toInt(&ok);
        if (!ok || *request.maxTokens <= 0) {
            console::err(u"chatq submit: --max-tokens must be a positive whole number\n"_s);
            co_return exitstatus::kUsage;
        }
    }

    auto queue = openSharedQueue(queueUrl(parser), u"submit"_s);
    if (!queue) {
        co_return queue.error();
    }
    const auto submitted = co_await queue.value()->submit(request);
    if (!submitted) {
        console::err(u"chatq submit: %1\n"_s.arg(submitted.error().message));
        co_return exitstatus::kFailed;
    }
    console::out(submitted.value() + u'\n');
    co_return exitstatus::kSucceeded;
}

QCoro::Task<int> runWatch(QStringList arguments, InterruptWatcher *interrupts)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
            tr("Stream a job's answer as it arrives and exit when the job ends."));
    parser.addOptions({
            queueOption(),
            {u"from"_s, tr("Continue after this event id instead of the start."), u"EVENT_ID"_s},
            {u"reasoning"_s, tr("Also write the reasoning to stderr.")},
            {u"json"_s, tr("Print one JSON object when the job ends instead of the text.")},
    });
    parser.addPositionalArgument(u"id"_s, tr("The job id."));
    if (const auto exit = parseCommandLine(parser, arguments, 1)) {
        co_return *exit;
    }

    auto queue = openSharedQueue(queueUrl(parser), u"watch"_s);
    if (!queue) {
        co_return queue.error();
    }
    const QString jobId = parser.positionalArguments().first();
    const auto record = co_await queue.value()->record(jobId);
    if (!record) {
        console::err(u"chatq watch: %1\n"_s.arg(record.error().message));
        co_return exitstatus::kFailed;
    }

    JobPrinter::Options options;
    options.printReasoning = parser.isSet(u"reasoning"_s);
    options.printJson = parser.isSet(u"json"_s);
    options.cancelOnInterrupt = false;
    // TODO: an id past the end of a finished job's log waits for ever instead of exiting.
    options.afterEventId = parser.value(u"from"_s);
    JobPrinter printer(queue.value().get(), jobId, options, interrupts);
    printer.start();
    if (!printer.hasEnded()) {
        co_await qCoro(&printer, &JobPrinter::ended);
    }
    co_return printer.exitStatus();
}

QCoro::Task<int> runStatus(QStringList arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Print a job's record as JSON."));
    parser.addOption(queueOption());
    parser.addPositionalArgument(u"id"_s, tr("The job id."));
    if (const auto exit = parseCommandLine(parser, arguments, 1)) {
        co_return *exit;
    }

    auto queue = openSharedQueue(queueUrl(parser), u"status"_s);
    if (!queue) {
        co_return queue.error();
    }
    const auto record = co_await queue.value()->record(parser.positionalArguments().first());
    if (!record) {
        console::err(u"chatq status: %1\n"_s.arg(record.error().message));
        co_return exitstatus::kFailed;
    }
    printJson(statusJson(record.value()));
    co_return exitstatus::kSucceeded;
}

QCoro::Task<int> runJobs(QStringList arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("List recent jobs, newest first."));
    parser.addOptions({
            queueOption(),
            {u"limit"_s, tr("How many jobs (default 50)."), u"N"_s, u"50"_s},
            {u"json"_s, tr("One JSON object per line, as `chatq status` prints it.")},
    });
    if (const auto exit = parseCommandLine(parser, arguments, 0)) {
        co_return *exit;
    }
    bool ok = false;
    const int limit = parser.value(u"limit"_s).toInt(&ok);
    if (!ok || limit <= 0) {
        console::err(u"chatq jobs: --limit must be a positive whole number\n"_s);
        co_return exitstatus::kUsage;
    }

    auto queue = openSharedQueue(queueUrl(parser), u"jobs"_s);
    if (!queue) {
        co_return queue.error();
    }
    const auto jobs = co_await queue.value()->listJobs(limit);
    if (!jobs) {
        console::err(u"chatq jobs: %1\n"_s.arg(jobs.error().message));
        co_return exitstatus::kFailed;
    }

    if (parser.isSet(u"json"_s)) {
        for (const JobRecord &record : jobs.value()) {
            printJson(statusJson(record));
        }
        co_return exitstatus::kSucceeded;
    }
    console::out(u"%1  %2  %3  %4  %5  %6\n"_s.arg(u"ID"_s, -36)
                         .arg(u"STATUS"_s, -9)
                         .arg(u"AGE"_s, -5)
                         .arg(u"PROFILE"_s, -12)
                         .arg(u"MODEL"_s, -20)
                         .arg(u"WORKER"_s));
    for (const JobRecord &record : jobs.value()) {
        console::out(u"%1  %2  %3  %4  %5  %6\n"_s.arg(record.id, -36)
                             .arg(jobStatusName(record.status), -9)
                             .arg(age(record.submittedAtMs), -5)
                             .arg(record.request.profile, -12)
                             .arg(record.request.model, -20)
                             .arg(record.worker.isEmpty() ? u"-"_s : record.worker));
    }
    co_return exitstatus::kSucceeded;
}

QCoro::Task<int> runCancel(QStringList arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
            tr("Cancel a job: a queued one ends at once, a running one within one flush."));
    parser.addOption(queueOption());
    parser.addPositionalArgument(u"id"_s, tr("The job id."));
    if (const auto exit = parseCommandLine(parser, arguments, 1)) {
        co_return *exit;
    }

    auto queue = openSharedQueue(queueUrl(parser), u"cancel"_s);
    if (!queue) {
        co_return queue.error();
    }
    const auto cancelled = co_await queue.value()->cancel(parser.positionalArguments().first());
    if (!cancelled) {
        console::err(u"chatq cancel: %1\n"_s.arg(cancelled.error().message));
        co_return exitstatus::kFailed;
    }
    co_return exitstatus::kSucceeded;
}

QCoro::Task<int> runWorkers(QStringList arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("List the live workers and their heartbeats."));
    parser.addOptions({
            queueOption(),
            {u"json"_s, tr("One JSON object per line.")},
    });
    if (const auto exit = parseCommandLine(parser, arguments, 0)) {
        co_return *exit;
    }

    auto queue = openSharedQueue(queueUrl(parser), u"workers"_s);
    if (!queue) {
        co_return queue.error();
    }
    const auto workers = co_await queue.value()->listWorkers();
    if (!workers) {
        console::err(u"chatq workers: %1\n"_s.arg(workers.error().message));
        co_return exitstatus::kFailed;
    }

    const bool json = parser.isSet(u"json"_s);
    if (!json) {
        console::out(u"%1  %2  %3  %4\n"_s.arg(u"WORKER"_s, -28)
                             .arg(u"BEAT"_s, -5)
                             .arg(u"RUNNING"_s, -9)
                             .arg(u"PROFILES"_s));
    }
    for (const WorkerStatus &worker : workers.value()) {
        if (json) {
            printJson({{u"id"_s, worker.id},
                       {u"profiles"_s, QJsonArray::fromStringList(worker.profiles)},
                       {u"concurrency"_s, worker.concurrency},
                       {u"running_jobs"_s, QJsonArray::fromStringList(worker.runningJobs)},
                       {u"last_beat_at"_s, worker.lastBeatAtMs}});
            continue;
        }
        const QString running = u"%1/%2"_s.arg(worker.runningJobs.size()).arg(worker.concurrency);
        const QString profiles = worker.profiles.isEmpty() ? u"*"_s : worker.profiles.join(u',');
        console::out(u"%1  %2  %3  %4\n"_s.arg(worker.id, -28)
                             .arg(age(worker.lastBeatAtMs), -5)
                             .arg(running, -9)
                             .arg(profiles));
    }
    co_return exitstatus::kSucceeded;
}
