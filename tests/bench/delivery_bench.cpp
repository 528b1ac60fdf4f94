// How long a delta takes from a worker's appendEvents() to a reader's readEvents() on the
// in-process queue: the worker writes from its own thread, readers wait in theirs, as the
// app does. Prints p50 / p99 / max in microseconds for one reader and for several.

#include "core/queue/jobqueue.h"
#include "tests/integration/awaittask.h"

#include <QCoreApplication>
#include <QCoroTask>
#include <QEventLoop>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kDeltas = 2000;
constexpr auto kGap = 1ms; // between two appends, about a fast model's token rate

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
            .count();
}

// Reads the job's log until `count` deltas arrived; their delays in microseconds.
std::vector<double> readDeltas(QueueBackend &backend, const QString &jobId, int count)
{
    std::unique_ptr<JobQueue> queue = backend.connect();
    std::vector<double> delays;
    QString after;
    while (static_cast<int>(delays.size()) < count) {
        const QueueResult<QList<JobEvent>> events
                = awaitTask(queue->readEvents(jobId, after, 5s));
        if (!events || events->isEmpty()) {
            std::fprintf(stderr, "reader stalled after %zu deltas\n", delays.size());
            break;
        }
        const qint64 receivedNs = nowNs();
        for (const JobEvent &event : *events) {
            after = event.id;
            if (event.type == JobEvent::Type::Delta) {
                delays.push_back((receivedNs - event.delta.content.toLongLong()) / 1000.0);
            }
        }
    }
    return delays;
}

void printFigures(const char *label, std::vector<double> delays)
{
    if (delays.empty()) {
        std::printf("%-28s no samples\n", label);
        return;
    }
    std::sort(delays.begin(), delays.end());
    const auto at = [&](double q) {
        return delays[std::min(delays.size() - 1, static_cast<size_t>(q * delays.size()))];
    };
    std::printf("%-28s n=%6zu  p50=%8.1f us  p99=%8.1f us  max=%8.1f us\n", label,
                delays.size(), at(0.50), at(0.99), delays.back());
}

// One job, one writer thread, `readers` reader threads.
void run(QueueBackend &backend, int readers, const char *label)
{
    std::unique_ptr<JobQueue> client = backend.connect();
    ChatRequest request;
    request.model = u"bench"_s;
    const QString jobId = awaitTask(client->submit(request)).value();
    WorkerIdentity worker {u"bench/1"_s, {}, 1};
    const ClaimedJob job = awaitTask(client->claim(worker, 1s)).value().value();

    std::vector<std::vector<double>> results(readers);
    std::atomic_int ready {0};
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < readers; ++i) {
        threads.emplace_back(QThread::create([&, i] {
            ++ready;
            results[i] = readDeltas(backend, jobId, kDeltas);
        }));
        threads.back()->start();
    }
    while (ready < readers) {
        QThread::msleep(1);
    }
    QThread::msleep(50);

    std::unique_ptr<QThread> writer(QThread::create([&] {
        std::unique_ptr<JobQueue> queue = backend.connect();
        for (int i = 0; i < kDeltas; ++i) {
            ChatDelta delta;
            delta.content = QString::number(nowNs());
            QList<JobEvent> events;
            events.append(JobEvent::makeDelta(job.attempt, delta));
            (void)awaitTask(queue->appendEvents(job, events));
            std::this_thread::sleep_for(kGap);
        }
    }));
    writer->start();
    writer->wait();
    for (auto &thread : threads) {
        thread->wait();
    }

    std::vector<double> all;
    for (const auto &delays : results) {
        all.insert(all.end(), delays.begin(), delays.end());
    }
    printFigures(label, std::move(all));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const auto backend = openQueueBackend(u"memory"_s, QString());
    if (!backend) {
        std::fprintf(stderr, "%s\n", qPrintable(backend.error().message));
        return 1;
    }

    std::printf("worker appendEvents() -> reader readEvents(), in-process queue, %d deltas "
                "1 ms apart, %d threads available\n",
                kDeltas, QThread::idealThreadCount());
    run(**backend, 1, "1 reader");
    run(**backend, 4, "4 readers (all samples)");
    return 0;
}
