#include "app/chatq/workercommand.h"

#include "app/chatq/consoleoutput.h"
#include "app/chatq/exitstatus.h"
#include "core/util/interruptwatcher.h"
#include "app/chatq/queueoption.h"
#include "core/queue/jobqueue.h"
#include "core/settings/profileregistry.h"
#include "core/settings/profilesfile.h"
#include "core/settings/secretstore.h"
#include "core/util/signalwait.h"
#include "core/worker/workerpool.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QThread>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("chatq", text);
}

void addWorkerOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(tr("Serve a shared queue: claim jobs and stream them."));
    parser.addOptions({
            queueOption(),
            {u"concurrency"_s, tr("Jobs streamed at once (default 8)."), u"N"_s, u"8"_s},
            {u"threads"_s, tr("Worker threads (default: one per core, at most N)."), u"T"_s},
            {u"profiles"_s, tr("JSON file of the profiles this worker serves."), u"FILE"_s},
            {u"base-url"_s, tr("Serve one profile named \"default\" at this URL."), u"URL"_s},
            {u"api-key-env"_s,
             tr("Environment variable holding that profile's key (default OPENAI_API_KEY)."),
             u"VAR"_s,
             u"OPENAI_API_KEY"_s},
            {u"grace"_s,
             tr("Seconds running jobs may take to finish when stopping (default 30)."),
             u"SECONDS"_s,
             u"30"_s},
            {u"name"_s, tr("Worker name in job records (default host:pid)."), u"NAME"_s},
    });
}

// Resolves each entry's key from the environment or the keychain, never from the file.
QCoro::Task<Result<QList<ProviderProfile>, QString>> resolveKeys(QList<ProfileEntry> entries)
{
    QList<ProviderProfile> profiles;
    SecretStore secrets(u"ChatQueue"_s);
    for (ProfileEntry &entry : entries) {
        if (!entry.apiKeyEnv.isEmpty()) {
            entry.profile.apiKey = qEnvironmentVariable(entry.apiKeyEnv.toLocal8Bit().constData());
            if (entry.profile.apiKey.isEmpty()) {
                console::err(u"chatq worker: warning: profile \"%1\": $%2 is empty; requests "
                             "go without a key\n"_s.arg(entry.profile.name, entry.apiKeyEnv));
            }
        } else if (!entry.apiKeyKeychain.isEmpty()) {
            const auto key = co_await secrets.read(entry.apiKeyKeychain);
            if (!key || key.value().isEmpty()) {
                const QString reason = key ? QString() : u" ("_s + key.error().message + u')';
                const QString message =
                        u"profile \"%1\": no key in the keychain under \"%2\"%3"_s.arg(
                                entry.profile.name,
                                entry.apiKeyKeychain,
                                reason);
                co_return message;
            }
            entry.profile.apiKey = key.value();
        }
        profiles.append(entry.profile);
    }
    co_return profiles;
}

// The entries named by --profiles, or the single `default` one of --base-url.
Result<QList<ProfileEntry>, QString> entriesFrom(const QCommandLineParser &parser)
{
    if (parser.isSet(u"profiles"_s) && parser.isSet(u"base-url"_s)) {
        return u"give either --profiles or --base-url, not both"_s;
    }
    if (parser.isSet(u"profiles"_s)) {
        return readProfilesFile(parser.value(u"profiles"_s));
    }
    if (!parser.isSet(u"base-url"_s)) {
        return u"say what to serve: --profiles FILE or --base-url URL"_s;
    }

    ProfileEntry entry;
    entry.profile.name = u"default"_s;
    entry.profile.baseUrl = QUrl(parser.value(u"base-url"_s), QUrl::StrictMode);
    const QUrl &url = entry.profile.baseUrl;
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
        return u"--base-url must be an http:// or https:// URL"_s;
    }
    entry.apiKeyEnv = parser.value(u"api-key-env"_s);
    return QList<ProfileEntry>{entry};
}

// Writes the profiles' limits to the queue, where the claims of every worker apply them: a
// limit only this worker knew would hold for nobody else.
QCoro::Task<QueueResult<void>> publishLimits(QueueBackend &backend,
                                             const QList<ProviderProfile> &profiles)
{
    const std::unique_ptr<JobQueue> queue = backend.connect();
    for (const ProviderProfile &profile : profiles) {
        if (profile.maxConcurrent <= 0 && profile.maxPerMinute <= 0) {
            continue;
        }
        const QueueResult<void> published = co_await queue->setProfileLimits(profile.name,
                                                                             profile.maxConcurrent,
                                                                             profile.maxPerMinute);
        if (!published) {
            co_return published.error();
        }
    }
    co_return {};
}

void logLine(const QString &text)
{
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    console::err(u"%1 %2\n"_s.arg(now, text));
}

} // namespace

QCoro::Task<int> runWorker(QStringList arguments, InterruptWatcher *interrupts)
{
    QCommandLineParser parser;
    addWorkerOptions(parser);
    if (const auto exit = parseCommandLine(parser, arguments, 0)) {
        co_return *exit;
    }

    bool ok = false;
    const int concurrency = parser.value(u"concurrency"_s).toInt(&ok);
    if (!ok || concurrency <= 0) {
        console::err(u"chatq worker: --concurrency must be a positive whole number\n"_s);
        co_return exitstatus::kUsage;
    }
    int threads = std::clamp(QThread::idealThreadCount(), 1, concurrency);
    if (parser.isSet(u"threads"_s)) {
        threads = parser.value(u"threads"_s).toInt(&ok);
        if (!ok || threads <= 0 || threads > concurrency) {
            console::err(u"chatq worker: --threads must be from 1 to --concurrency\n"_s);
            co_return exitstatus::kUsage;
        }
    }
    const int graceSeconds = parser.value(u"grace"_s).toInt(&ok);
    if (!ok || graceSeconds < 0) {
        console::err(u"chatq worker: --grace must be a whole number of seconds\n"_s);
        co_return exitstatus::kUsage;
    }

    const QString url = queueUrl(parser);
    if (url == u"memory"_s) {
        console::err(u"chatq worker: needs a shared queue; pass --queue redis://… or set "
                     "CHATQ_QUEUE\n"_s);
        co_return exitstatus::kUsage;
    }
    const auto entries = entriesFrom(parser);
    if (!entries) {
        console::err(u"chatq worker: %1\n"_s.arg(entries.error()));
        co_return exitstatus::kUsage;
    }
    const auto profiles = co_await resolveKeys(entries.value());
    if (!profiles) {
        console::err(u"chatq worker: %1\n"_s.arg(profiles.error()));
        co_return exitstatus::kUsage;
    }
    auto backend = openQueueBackend(url, QString());
    if (!backend) {
        console::err(u"chatq worker: cannot open queue: %1\n"_s.arg(backend.error().message));
        co_return exitStatusFor(backend.error());
    }
    // Reach the queue once before serving it: a wrong password or address is a mistake to
    // report now, not a reason to retry for ever. Later losses are retried.
    {
        const std::unique_ptr<JobQueue> probe = backend.value()->connect();
        const auto reached = co_await probe->listWorkers();
        if (!reached) {
            console::err(
                    u"chatq worker: cannot reach the queue: %1\n"_s.arg(reached.error().message));
            co_return exitstatus::kFailed;
        }
    }
    const QueueResult<void> limits = co_await publishLimits(*backend.value(), profiles.value());
    if (!limits) {
        console::err(u"chatq worker: cannot publish the profiles' limits: %1\n"_s.arg(
                limits.error().message));
        co_return exitstatus::kFailed;
    }

    auto registry = std::make_shared<ProfileRegistry>();
    QStringList names;
    for (const ProviderProfile &profile : profiles.value()) {
        registry->insert(profile);
        names.append(profile.name);
    }
    WorkerPoolOptions options;
    options.threads = threads;
    options.streamsPerThread = (concurrency + threads - 1) / threads;
    options.serveAnyProfile = false;
    options.workerName = parser.value(u"name"_s);
    WorkerPool pool(backend.value(), registry, options);
    QObject::connect(
            &pool,
            &WorkerPool::jobEvent,
            &pool,
            [](const QString &id, const QString &what) { logLine(u"job %1 %2"_s.arg(id, what)); });

    logLine(u"worker serving %1 on %2 (%3 threads, %4 jobs at once)"_s.arg(
            names.join(u", "_s),
            backend.value()->describe(),
            QString::number(threads),
            QString::number(threads * options.streamsPerThread)));
    pool.start();
    // A direct wait, not qCoro's queued one: a second Ctrl+C must not resume a wait that
    // already ended.
    while (!co_await signalOrTimeout(interrupts, &InterruptWatcher::interrupted, 1h)) {
    }

    logLine(u"stopping: no new jobs; running ones get %1 s, then go back to the queue"_s.arg(
            graceSeconds));
    // Closing the console leaves the process a few seconds: hand the jobs back sooner.
    const std::chrono::seconds grace =
            interrupts->isConsoleClosing()
                    ? std::min(std::chrono::seconds(graceSeconds), std::chrono::seconds(3))
                    : std::chrono::seconds(graceSeconds);
    co_await pool.stop(grace);
    logLine(u"stopped"_s);
    co_return exitstatus::kSucceeded;
}
