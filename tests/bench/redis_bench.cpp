// The Redis queue under load, end to end: a private redis-server on a free loopback port, the
// fake provider in this process, and `chatq worker` processes. Prints
//   1. short jobs per second through 1 and 4 worker processes,
//   2. submit -> first delta (and -> done) seen by a reader, one job at a time,
//   3. appendEvents() -> readEvents() delivery of a delta, writer and readers in their own
//      threads with their own connections,
//   4. the resident memory of one worker process holding 256 slow streams, and how many of
//      them are open at the provider at once.
// Every step is bounded in count and time, so a run takes a few minutes on two cores.
//
//   bench_redis [section…]   (default: all four)

#include "core/queue/jobqueue.h"
#include "core/redis/redisconnection.h"
#include "core/redis/redisurl.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/redisserver.h"

#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kThroughputJobs = 2000;
constexpr auto kThroughputLimit = 90s;
constexpr int kLatencyJobs = 300;
constexpr int kDeliveryDeltas = 2000;
constexpr auto kDeliveryGap = 1ms; // between two appends, about a fast model's token rate
constexpr int kSlowStreams = 256;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
            .count();
}

void printPercentiles(const char *label, std::vector<double> samples, const char *unit)
{
    if (samples.empty()) {
        std::printf("  %-34s no samples\n", label);
        return;
    }
    std::sort(samples.begin(), samples.end());
    const auto at = [&](double q) {
        return samples[std::min(samples.size() - 1, static_cast<size_t>(q * samples.size()))];
    };
    std::printf("  %-34s n=%5zu  p50=%8.2f %s  p99=%8.2f %s  max=%8.2f %s\n", label,
                samples.size(), at(0.50), unit, at(0.99), unit, samples.back(), unit);
    std::fflush(stdout);
}

// Reads the first line a process writes to stderr that contains `marker`, for up to `wait`.
bool waitForOutput(QProcess &process, const QByteArray &marker, std::chrono::milliseconds wait)
{
    const auto start = Clock::now();
    QByteArray seen;
    while (Clock::now() - start < wait) {
        process.waitForReadyRead(50);
        seen += process.readAllStandardError();
        if (seen.contains(marker)) {
            return true;
        }
        if (process.state() == QProcess::NotRunning) {
            return false;
        }
    }
    return false;
}

// `chatq worker` processes serving the profile "default"; stopped by PID when destroyed.
class WorkerProcesses
{
public:
    WorkerProcesses(const QString &queueUrl, const QUrl &baseUrl, int count, int concurrency,
                    int threads = 0)
    {
        for (int i = 0; i < count; ++i) {
            auto process = std::make_unique<QProcess>();
            QStringList arguments{u"worker"_s, u"--queue"_s, queueUrl, u"--base-url"_s,
                                  baseUrl.toString(), u"--concurrency"_s,
                                  QString::number(concurrency), u"--grace"_s, u"0"_s,
                                  u"--name"_s, u"bench-%1"_s.arg(i)};
            if (threads > 0) {
                arguments << u"--threads"_s << QString::number(threads);
            }
            process->start(QStringLiteral(CHATQUEUE_CHATQ_PATH), arguments);
            m_processes.push_back(std::move(process));
        }
    }

    ~WorkerProcesses()
    {
        for (auto &process : m_processes) {
            process->terminate();
        }
        for (auto &process : m_processes) {
            if (!process->waitForFinished(10000)) {
                process->kill();
                process->waitForFinished(5000);
            }
        }
    }

    // Waits until every process says it serves, then a little for its first claims to block.
    bool waitUntilServing()
    {
        for (auto &process : m_processes) {
            if (!waitForOutput(*process, "worker serving", 10s)) {
                std::fprintf(stderr, "a worker did not start: %s\n",
                             process->readAllStandardError().constData());
                return false;
            }
        }
        spinEventLoop(300ms);
        return true;
    }

    qint64 pid(int index) const { return m_processes.at(index)->processId(); }

private:
    std::vector<std::unique_ptr<QProcess>> m_processes;
};

ChatRequest shortRequest(const QString &profile = u"default"_s)
{
    ChatRequest request;
    request.profile = profile;
    request.model = u"bench"_s;
    ChatMessage message;
    message.role = u"user"_s;
    message.content = u"Say hello."_s;
    request.messages.append(message);
    return request;
}

// Submits `count` requests at once on one connection: QCoro tasks start eagerly, so every
// XADD script goes out before the first reply is awaited, pipelined.
QCoro::Task<int> submitMany(JobQueue &queue, int count)
{
    std::vector<QCoro::Task<QueueResult<QString>>> pending;
    pending.reserve(count);
    for (int i = 0; i < count; ++i) {
        pending.push_back(queue.submit(shortRequest()));
    }
    int submitted = 0;
    for (auto &task : pending) {
        if ((co_await task).ok()) {
            ++submitted;
        }
    }
    co_return submitted;
}

qint64 integerReply(RedisConnection &redis, QList<QByteArray> argv)
{
    const auto reply = waitForTask(redis.command(std::move(argv)), 5s);
    if (!reply || !reply->ok()) {
        return -1;
    }
    return (*reply)->toInteger().value_or(-1);
}

void flush(RedisConnection &redis)
{
    (void)waitForTask(redis.command({"FLUSHALL"}), 10s);
}

// 1. Jobs per second: `jobs` short jobs submitted at once, timed until the queue is empty.
void measureThroughput(const RedisServer &server, RedisConnection &redis, const QUrl &provider,
                       int processes, int concurrency)
{
    flush(redis);
    WorkerProcesses workers(server.url(), provider, processes, concurrency);
    if (!workers.waitUntilServing()) {
        return;
    }
    auto backend = openQueueBackend(server.url(), QString());
    std::unique_ptr<JobQueue> queue = backend.value()->connect();

    const auto start = Clock::now();
    const int submitted = waitForTask(submitMany(*queue, kThroughputJobs), 60s).value_or(0);
    const double submitMs = msSince(start);
    qint64 left = -1;
    while (Clock::now() - start < kThroughputLimit) {
        left = integerReply(redis, {"XLEN", "chatqueue:queue:default"});
        if (left == 0) {
            break;
        }
        spinEventLoop(5ms);
    }
    const double totalMs = msSince(start);
    const qint64 dead = integerReply(redis, {"XLEN", "chatqueue:dead"});

    const int done = submitted - static_cast<int>(std::max<qint64>(left, 0));
    std::printf("  %d process%s x concurrency %-3d  %5d jobs in %8.1f ms = %7.0f jobs/s"
                "  (submits took %.1f ms; %lld dead)\n",
                processes, processes == 1 ? "  " : "es", concurrency, done, totalMs,
                done * 1000.0 / totalMs, submitMs, static_cast<long long>(dead));
    std::fflush(stdout);
}

// 2. Submit -> first delta, one job at a time, read with readEvents() from the start.
void measureFirstDelta(const RedisServer &server, RedisConnection &redis, const QUrl &provider)
{
    flush(redis);
    WorkerProcesses workers(server.url(), provider, 1, 8);
    if (!workers.waitUntilServing()) {
        return;
    }
    auto backend = openQueueBackend(server.url(), QString());
    std::unique_ptr<JobQueue> queue = backend.value()->connect();

    std::vector<double> firstDelta;
    std::vector<double> finished;
    for (int i = 0; i < kLatencyJobs; ++i) {
        const auto start = Clock::now();
        const auto id = waitForTask(queue->submit(shortRequest()), 5s);
        if (!id || !id->ok()) {
            std::fprintf(stderr, "submit failed\n");
            return;
        }
        QString after;
        bool sawDelta = false;
        bool sawDone = false;
        while (!sawDone && Clock::now() - start < 5s) {
            const auto events = waitForTask(queue->readEvents(id->value(), after, 2s), 5s);
            if (!events || !events->ok()) {
                break;
            }
            for (const JobEvent &event : events->value()) {
                after = event.id;
                if (event.type == JobEvent::Type::Delta && !sawDelta) {
                    sawDelta = true;
                    firstDelta.push_back(msSince(start));
                }
                if (event.type == JobEvent::Type::Done) {
                    sawDone = true;
                    finished.push_back(msSince(start));
                }
            }
        }
    }
    printPercentiles("submit -> first delta", firstDelta, "ms");
    printPercentiles("submit -> done", finished, "ms");
}

// Reads `jobId`'s log until `count` deltas arrived; their delays in microseconds, from the
// writer's clock stamp in the delta's text (one steady clock: same process).
std::vector<double> readDeltas(QueueBackend &backend, const QString &jobId, int count)
{
    std::unique_ptr<JobQueue> queue = backend.connect();
    std::vector<double> delays;
    QString after;
    while (static_cast<int>(delays.size()) < count) {
        const auto events = waitForTask(queue->readEvents(jobId, after, 5s), 10s);
        if (!events || !events->ok() || events->value().isEmpty()) {
            std::fprintf(stderr, "reader stalled after %zu deltas\n", delays.size());
            break;
        }
        const qint64 receivedNs = nowNs();
        for (const JobEvent &event : events->value()) {
            after = event.id;
            if (event.type == JobEvent::Type::Delta) {
                delays.push_back((receivedNs - event.delta.content.toLongLong()) / 1000.0);
            }
        }
    }
    return delays;
}

// 3. appendEvents() in a writer thread -> readEvents() in `readers` reader threads, each
// thread with its own connection, as a worker and windows on other machines would be.
void measureDelivery(const RedisServer &server, RedisConnection &redis, int readers,
                     const char *label)
{
    flush(redis);
    auto backend = openQueueBackend(server.url(), QString()).value();
    std::unique_ptr<JobQueue> client = backend->connect();
    const QString jobId = waitForTask(client->submit(shortRequest(u"bench"_s)), 5s)->value();
    const WorkerIdentity worker{u"bench/1"_s, {u"bench"_s}, 1};
    const auto claimed = waitForTask(client->claim(worker, 2s), 5s);
    if (!claimed || !claimed->ok() || !claimed->value()) {
        std::fprintf(stderr, "claim failed\n");
        return;
    }
    const ClaimedJob job = *claimed->value();

    std::vector<std::vector<double>> results(readers);
    std::atomic_int ready{0};
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < readers; ++i) {
        threads.emplace_back(QThread::create([&, i] {
            ++ready;
            results[i] = readDeltas(*backend, jobId, kDeliveryDeltas);
        }));
        threads.back()->start();
    }
    while (ready < readers) {
        QThread::msleep(1);
    }
    QThread::msleep(100);

    std::unique_ptr<QThread> writer(QThread::create([&] {
        std::unique_ptr<JobQueue> queue = backend->connect();
        for (int i = 0; i < kDeliveryDeltas; ++i) {
            ChatDelta delta;
            delta.content = QString::number(nowNs());
            QList<JobEvent> events;
            events.append(JobEvent::makeDelta(job.attempt, delta));
            (void)waitForTask(queue->appendEvents(job, events), 5s);
            std::this_thread::sleep_for(kDeliveryGap);
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
    for (double &delay : all) {
        delay /= 1000.0;
    }
    printPercentiles(label, std::move(all), "ms");
}

qint64 statusKiB(qint64 pid, const QByteArray &field)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(QByteArray(field + ':'))) {
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
        }
    }
    return -1;
}

// 4. One worker process, `kSlowStreams` jobs whose answers trickle in: how many streams the
// provider sees open at once, and the worker's resident memory while it holds them.
void measureSlowStreams(const RedisServer &server, RedisConnection &redis, int threads)
{
    flush(redis);
    FakeProvider provider;
    provider.setRecordRequests(false);
    // About 1,200 characters in 8-character chunks, 200 bytes every 200 ms: ~25 s a stream.
    provider.setDefaultScenario(
            FakeProvider::contentScenario(QString(1200, u'x'), 8).inChunks(200, 200ms));

    WorkerProcesses workers(server.url(), provider.baseUrl(), 1, kSlowStreams, threads);
    if (!workers.waitUntilServing()) {
        return;
    }
    const qint64 idleKiB = statusKiB(workers.pid(0), "VmRSS");
    auto backend = openQueueBackend(server.url(), QString());
    std::unique_ptr<JobQueue> queue = backend.value()->connect();
    (void)waitForTask(submitMany(*queue, kSlowStreams), 30s);

    // Wait until the open streams stop growing (or all are open), then hold a moment.
    const auto start = Clock::now();
    int lastOpen = -1;
    auto lastChange = Clock::now();
    while (Clock::now() - start < 15s && provider.openStreams() < kSlowStreams
           && Clock::now() - lastChange < 3s) {
        spinEventLoop(100ms);
        if (provider.openStreams() != lastOpen) {
            lastOpen = provider.openStreams();
            lastChange = Clock::now();
        }
    }
    spinEventLoop(2s);
    const qint64 rssKiB = statusKiB(workers.pid(0), "VmRSS");
    const qint64 hwmKiB = statusKiB(workers.pid(0), "VmHWM");
    const int open = provider.openStreams();

    std::printf("  threads %-3s %3d streams open at the provider  VmRSS %6.1f MiB  "
                "(peak %6.1f MiB, idle %5.1f MiB)\n",
                threads > 0 ? qPrintable(QString::number(threads)) : "def", open,
                rssKiB / 1024.0, hwmKiB / 1024.0, idleKiB / 1024.0);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"chatqueue.*.debug=false\nchatqueue.*.info=false"_s);

    // `bench_redis 2 4` runs only those sections; no arguments run all four.
    const QStringList chosen = app.arguments().mid(1);
    const auto wanted = [&](int section) {
        return chosen.isEmpty() || chosen.contains(QString::number(section));
    };

    RedisServer server;
    if (!server.start()) {
        std::fprintf(stderr, "redis-server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    RedisConnection redis(RedisUrl::parse(server.url()).value());
    FakeProvider provider;
    provider.setRecordRequests(false);

    std::printf("Redis queue benchmark: redis-server on 127.0.0.1:%u, fake provider in "
                "process, %d cores\n\n",
                static_cast<unsigned>(server.port()), QThread::idealThreadCount());

    if (wanted(1)) {
        std::printf("1. short jobs through `chatq worker` processes, %d jobs submitted at once\n",
                    kThroughputJobs);
        measureThroughput(server, redis, provider.baseUrl(), 1, 16);
        measureThroughput(server, redis, provider.baseUrl(), 4, 16);
    }

    if (wanted(2)) {
        std::printf("\n2. one job at a time, %d jobs, 1 worker process (concurrency 8)\n",
                    kLatencyJobs);
        measureFirstDelta(server, redis, provider.baseUrl());
    }

    if (wanted(3)) {
        std::printf("\n3. worker appendEvents() -> reader readEvents(), %d deltas %lld ms apart\n",
                    kDeliveryDeltas, static_cast<long long>(kDeliveryGap.count()));
        measureDelivery(server, redis, 1, "1 reader");
        measureDelivery(server, redis, 4, "4 readers (all samples)");
    }

    if (wanted(4)) {
        std::printf("\n4. one worker process, --concurrency %d, slow streams (~25 s each)\n",
                    kSlowStreams);
        measureSlowStreams(server, redis, 0);
        measureSlowStreams(server, redis, 43);
    }

    server.stop();
    return 0;
}
