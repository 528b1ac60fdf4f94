// chatqueue_fake_provider: the tests' fake provider as a process, for end-to-end tests of the
// executables and for benchmarks. Prints its port as the first line of stdout, then serves
// every request with the scenario the flags describe until it is terminated.

#include "tests/support/fakeprovider.h"
#include "tests/support/fixtures.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

namespace {

struct Flags
{
    QCommandLineOption fixture {u"fixture"_s, u"Serve a file of tests/fixtures/sse."_s,
                                u"name"_s};
    QCommandLineOption content {u"content"_s, u"Serve a generated stream of this text."_s,
                                u"text"_s};
    QCommandLineOption reasoning {u"reasoning"_s,
                                  u"Put this reasoning before the content (reasoning_content)."_s,
                                  u"text"_s};
    QCommandLineOption chunkChars {u"chunk-chars"_s,
                                   u"Characters per generated chunk (default 8)."_s, u"n"_s,
                                   u"8"_s};
    QCommandLineOption status {u"status"_s, u"Answer with this HTTP status."_s, u"code"_s};
    QCommandLineOption retryAfter {u"retry-after"_s, u"Add Retry-After: seconds."_s, u"s"_s};
    QCommandLineOption html {u"html"_s, u"Answer 200 with an HTML page."_s};
    QCommandLineOption chunkBytes {u"chunk-bytes"_s, u"Send the body in writes of n bytes."_s,
                                   u"n"_s};
    QCommandLineOption chunkDelay {u"chunk-delay-ms"_s, u"Pause between writes."_s, u"ms"_s};
    QCommandLineOption headersDelay {u"headers-delay-ms"_s, u"Pause before the status line."_s,
                                     u"ms"_s};
    QCommandLineOption stallAfter {u"stall-after"_s, u"Go silent after n body bytes."_s,
                                   u"n"_s};
    QCommandLineOption dropAfter {u"drop-after"_s, u"Close the connection after n body bytes."_s,
                                  u"n"_s};
    QCommandLineOption port {u"port"_s, u"Listen on this port (default: a free one)."_s,
                             u"port"_s};
    QCommandLineOption verbose {u"verbose"_s, u"Print each request to stderr."_s};
};

FakeProvider::Scenario scenarioFrom(const QCommandLineParser &parser, const Flags &flags)
{
    FakeProvider::Scenario scenario = FakeProvider::contentScenario(
            u"Hello from the fake provider."_s);
    const int chunkChars = parser.value(flags.chunkChars).toInt();

    if (parser.isSet(flags.html)) {
        scenario = FakeProvider::Scenario::htmlPage();
    } else if (parser.isSet(flags.fixture)) {
        scenario = FakeProvider::Scenario::fixture(parser.value(flags.fixture));
    } else if (parser.isSet(flags.content) || parser.isSet(flags.reasoning)) {
        scenario = FakeProvider::reasoningScenario(parser.value(flags.reasoning),
                                                   parser.value(flags.content), chunkChars);
    }

    if (parser.isSet(flags.status)) {
        const int status = parser.value(flags.status).toInt();
        if (parser.isSet(flags.fixture)) {
            scenario = FakeProvider::Scenario::errorFixture(status, parser.value(flags.fixture));
        } else if (status != 200) {
            scenario = FakeProvider::Scenario::error(status);
        }
    }
    if (parser.isSet(flags.retryAfter)) {
        scenario.withHeader("Retry-After", parser.value(flags.retryAfter).toLatin1());
    }
    if (parser.isSet(flags.chunkBytes) || parser.isSet(flags.chunkDelay)) {
        scenario.inChunks(parser.value(flags.chunkBytes).toLongLong(),
                          milliseconds(parser.value(flags.chunkDelay).toLongLong()));
    }
    if (parser.isSet(flags.headersDelay)) {
        const qint64 delay = parser.value(flags.headersDelay).toLongLong();
        scenario.withDelayBeforeHeaders(milliseconds(delay));
    }
    if (parser.isSet(flags.stallAfter)) {
        scenario.stallAfter(parser.value(flags.stallAfter).toLongLong());
    }
    if (parser.isSet(flags.dropAfter)) {
        scenario.dropAfter(parser.value(flags.dropAfter).toLongLong());
    }
    return scenario;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"chatqueue_fake_provider"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"A fake OpenAI-compatible provider on 127.0.0.1. Prints its port first."_s);
    parser.addHelpOption();
    const Flags flags;
    parser.addOptions({flags.fixture, flags.content, flags.reasoning, flags.chunkChars,
                       flags.status, flags.retryAfter, flags.html, flags.chunkBytes,
                       flags.chunkDelay, flags.headersDelay, flags.stallAfter, flags.dropAfter,
                       flags.port, flags.verbose});
    parser.process(app);

    if (parser.isSet(flags.fixture) && !QFile::exists(fixtures::sseDir() + u'/'
                                                      + parser.value(flags.fixture))) {
        std::fprintf(stderr, "no fixture named %s\n", qPrintable(parser.value(flags.fixture)));
        return 2;
    }

    FakeProvider provider(nullptr, parser.value(flags.port).toUShort());
    if (provider.port() == 0) {
        std::fprintf(stderr, "cannot listen on 127.0.0.1\n");
        return 1;
    }
    provider.setDefaultScenario(scenarioFrom(parser, flags));
    provider.setRecordRequests(parser.isSet(flags.verbose));

    if (parser.isSet(flags.verbose)) {
        QObject::connect(&provider, &FakeProvider::requestReceived, &provider, [&provider] {
            const FakeProvider::Request request = provider.requests().constLast();
            std::fprintf(stderr, "%s %s\n", request.method.constData(),
                         qPrintable(request.path));
            provider.clearRequests();
        });
    }

    std::printf("%u\n", static_cast<unsigned>(provider.port()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
