// chatqueue_test_redis_worker: a worker pool in a process of its own, for tests that kill a
// worker outright. Serves the profile "default" from --base-url against --queue, prints
// "ready" once started, and runs until it is terminated or killed.

#include "core/queue/jobqueue.h"
#include "core/settings/profileregistry.h"
#include "core/worker/workerpool.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QUrl>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption queue{u"queue"_s, u"Redis queue URL."_s, u"url"_s};
    const QCommandLineOption baseUrl{u"base-url"_s, u"Provider base URL."_s, u"url"_s};
    const QCommandLineOption name{u"name"_s, u"Worker name."_s, u"name"_s};
    const QCommandLineOption renew{u"renew-ms"_s, u"Lease renewal interval."_s, u"ms"_s, u"300"_s};
    parser.addOptions({queue, baseUrl, name, renew});
    parser.process(app);

    auto backend = openQueueBackend(parser.value(queue), QString());
    if (!backend) {
        std::fprintf(stderr, "%s\n", qPrintable(backend.error().message));
        return 2;
    }
    auto profiles = std::make_shared<ProfileRegistry>();
    ProviderProfile profile;
    profile.baseUrl = QUrl(parser.value(baseUrl));
    profiles->insert(profile);

    WorkerPoolOptions options;
    options.threads = 1;
    options.serveAnyProfile = false;
    options.workerName = parser.value(name);
    options.leaseRenewInterval = std::chrono::milliseconds(parser.value(renew).toInt());
    WorkerPool pool(*backend, profiles, options);
    pool.start();
    std::printf("ready\n");
    std::fflush(stdout);
    return app.exec();
}
