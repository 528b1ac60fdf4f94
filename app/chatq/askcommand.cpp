#include "app/chatq/askcommand.h"

#include "app/chatq/consoleoutput.h"
#include "app/chatq/exitstatus.h"
#include "app/chatq/jobprinter.h"
#include "app/chatq/queueoption.h"
#include "core/queue/jobqueue.h"
#include "core/settings/profileregistry.h"
#include "core/worker/workerpool.h"

#include <QCoroSignal>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// The in-process queue of one `ask` keeps nothing on disk: if chatq is killed, the
// question goes with it, which is what a person at a terminal expects.
const QString kNoPersistence;

bool isInProcess(const QString &queueUrl)
{
    return queueUrl == u"memory"_s;
}

} // namespace

QCoro::Task<int> runAsk(AskOptions options, InterruptWatcher *interrupts)
{
    auto backend = openQueueBackend(options.queueUrl, kNoPersistence);
    if (!backend) {
        console::err(u"chatq: cannot open queue %1: %2\n"_s.arg(options.queueUrl,
                                                                backend.error().message));
        co_return exitStatusFor(backend.error());
    }

    std::unique_ptr<WorkerPool> pool;
    if (isInProcess(options.queueUrl)) {
        auto profiles = std::make_shared<ProfileRegistry>();
        profiles->insert(options.profile);
        WorkerPoolOptions poolOptions;
        poolOptions.threads = 1;
        pool = std::make_unique<WorkerPool>(backend.value(), profiles, poolOptions);
        pool->start();
    } else if (options.endpointGiven) {
        console::err(u"chatq: note: on a shared queue the worker's profile \"%1\" decides the "
                     "endpoint and key; --base-url and --api-key-env are not sent\n"_s.arg(
                             options.profile.name));
    }

    const std::unique_ptr<JobQueue> queue = backend.value()->connect();
    const auto submitted = co_await queue->submit(options.request);
    if (!submitted) {
        console::err(u"chatq: cannot submit the job: %1\n"_s.arg(submitted.error().message));
        co_return exitstatus::kFailed;
    }

    JobPrinter::Options printOptions;
    printOptions.printReasoning = options.printReasoning;
    printOptions.printJson = options.printJson;
    printOptions.cancelOnInterrupt = true;
    JobPrinter printer(queue.get(), submitted.value(), printOptions, interrupts);
    printer.start();
    if (!printer.hasEnded()) {
        co_await qCoro(&printer, &JobPrinter::ended);
    }

    if (pool) {
        co_await pool->stop(1s);
    }
    co_return printer.exitStatus();
}
