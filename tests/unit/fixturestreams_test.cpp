// Every recorded provider stream under tests/fixtures/sse, parsed the way it could arrive
// from a socket (whole, one byte at a time, cut at random points, with CRLF or CR line ends),
// must add up to what EXPECTED.json says a correct client assembles from it.

#include "core/provider/chatstreamparser.h"
#include "core/provider/chunkdecoder.h"
#include "core/provider/sseparser.h"
#include "tests/support/fixtures.h"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>

#include <random>
#include <set>
#include <string>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// Gemini's native streamGenerateContent speaks `candidates` and `usageMetadata`, not the
// OpenAI chunk shape, so only its framing (CRLF line ends) is checked, by its own test.
const QString kGeminiNative = u"gemini-native-streamgeneratecontent-crlf.sse"_s;

std::vector<std::string> openAiShapedFiles()
{
    std::vector<std::string> files;
    for (const QString &file : fixtures::sseFiles()) {
        if (file != kGeminiNative) {
            files.push_back(file.toStdString());
        }
    }
    return files;
}

// "openai-gpt4o-refusal.sse" → "OpenaiGpt4oRefusal", a name gtest accepts.
std::string testNameOf(const std::string &file)
{
    std::string name;
    bool upper = true;
    for (const char c : file.substr(0, file.rfind('.'))) {
        if (c == '-' || c == '_' || c == '.') {
            upper = true;
            continue;
        }
        name += upper ? char(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return name;
}

// What a whole stream says for every choice, assembled from SseParser and ChunkDecoder.
struct Assembled
{
    QMap<int, ChatReply> replies;
    Usage usage;
    QList<ChatError> errors;
    QSet<QString> eventTypes;
    bool done = false;
    int events = 0;
};

class Assembler
{
public:
    void feed(QByteArrayView bytes)
    {
        auto events = m_sse.feed(bytes);
        if (!events) {
            m_result.errors.append(events.error());
            return;
        }
        for (const SseEvent &event : events.value()) {
            m_result.eventTypes.insert(QString::fromUtf8(event.type));
            apply(m_decoder.decode(event));
        }
    }

    const Assembled &result() const { return m_result; }

private:
    void apply(const DecodedChunk &chunk)
    {
        ++m_result.events;
        if (chunk.done) {
            m_result.done = true;
            return;
        }
        for (auto it = chunk.choices.cbegin(); it != chunk.choices.cend(); ++it) {
            m_result.replies[it.key()].apply(it.value());
        }
        if (chunk.usage.known) {
            m_result.usage = chunk.usage;
        }
        if (chunk.error) {
            m_result.errors.append(*chunk.error);
        }
    }

    SseParser m_sse;
    ChunkDecoder m_decoder;
    Assembled m_result;
};

// The same stream with other line ends: no field of an event can hold CR or LF, so the
// meaning is unchanged.
QByteArray withLineEnds(const QByteArray &body, QByteArrayView lineEnd)
{
    QByteArray converted = body;
    return converted.replace("\n", lineEnd.toByteArray());
}

// Cut points: random ones, plus every point between CR and LF, plus (at random) points
// inside multi-byte UTF-8 characters.
std::set<qsizetype> cutPoints(const QByteArray &body, unsigned seed)
{
    std::mt19937 random(seed);
    std::set<qsizetype> cuts;
    if (body.size() < 2) {
        return cuts;
    }

    std::uniform_int_distribution<qsizetype> position(1, body.size() - 1);
    for (qsizetype i = 0; i < body.size() / 16 + 1; ++i) {
        cuts.insert(position(random));
    }

    std::bernoulli_distribution insideCharacter(0.5);
    for (qsizetype i = 1; i < body.size(); ++i) {
        const auto byte = static_cast<unsigned char>(body.at(i));
        const bool continuation = (byte & 0xC0) == 0x80;
        if ((body.at(i - 1) == '\r' && byte == '\n')
            || (continuation && insideCharacter(random))) {
            cuts.insert(i);
        }
    }
    return cuts;
}

QList<QByteArray> piecesAt(const QByteArray &body, const std::set<qsizetype> &cuts)
{
    QList<QByteArray> pieces;
    qsizetype start = 0;
    for (const qsizetype cut : cuts) {
        pieces.append(body.mid(start, cut - start));
        start = cut;
    }
    pieces.append(body.mid(start));
    return pieces;
}

struct Delivery
{
    std::string name;
    QList<QByteArray> pieces;
};

// Every way each body is delivered to the parser.
std::vector<Delivery> deliveries(const QByteArray &original)
{
    const std::vector<std::pair<std::string, QByteArray>> bodies {
        {"LF", original},
        {"CRLF", withLineEnds(original, "\r\n")},
        {"CR", withLineEnds(original, "\r")},
    };

    std::vector<Delivery> result;
    for (const auto &[lineEnds, body] : bodies) {
        result.push_back({lineEnds + " whole", {body}});

        QList<QByteArray> bytes;
        for (const char c : body) {
            bytes.append(QByteArray(1, c));
        }
        result.push_back({lineEnds + " one byte at a time", bytes});

        for (const unsigned seed : {1U, 2U, 3U}) {
            result.push_back({lineEnds + " random cuts, seed " + std::to_string(seed),
                              piecesAt(body, cutPoints(body, seed))});
        }
    }
    return result;
}

QString expectedReasoning(const QJsonObject &choice)
{
    for (const QString &key : {u"reasoning_content"_s, u"reasoning"_s, u"thinking_parts"_s,
                               u"reasoning_details_text"_s}) {
        if (choice.contains(key)) {
            return choice.value(key).toString();
        }
    }
    return {};
}

void expectReplyMatches(const ChatReply &reply, const QJsonObject &expected)
{
    // A null content means no text came; the reply holds it as empty text.
    EXPECT_EQ(reply.content, expected.value(u"content"_s).toString());
    EXPECT_EQ(reply.reasoning, expectedReasoning(expected));
    EXPECT_EQ(reply.refusal, expected.value(u"refusal"_s).toString());
    EXPECT_EQ(reply.finishReason, expected.value(u"finish_reason"_s).toString());

    const QJsonArray calls = expected.value(u"tool_calls"_s).toArray();
    ASSERT_EQ(reply.toolCalls.size(), calls.size());
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const QJsonObject call = calls.at(i).toObject();
        EXPECT_EQ(reply.toolCalls.at(i).id, call.value(u"id"_s).toString());
        EXPECT_EQ(reply.toolCalls.at(i).type, call.value(u"type"_s).toString());
        EXPECT_EQ(reply.toolCalls.at(i).name, call.value(u"name"_s).toString());
        EXPECT_EQ(reply.toolCalls.at(i).arguments, call.value(u"arguments"_s).toString());
    }
}

void expectUsageMatches(const Usage &usage, const QJsonValue &expected)
{
    if (!expected.isObject()) {
        EXPECT_FALSE(usage.known);
        return;
    }
    const QJsonObject object = expected.toObject();
    ASSERT_TRUE(usage.known);
    EXPECT_EQ(usage.promptTokens, object.value(u"prompt_tokens"_s).toInteger());
    EXPECT_EQ(usage.completionTokens, object.value(u"completion_tokens"_s).toInteger());
    EXPECT_EQ(usage.totalTokens, object.value(u"total_tokens"_s).toInteger());
}

void expectAssembledMatches(const Assembled &assembled, const QJsonObject &expected)
{
    EXPECT_EQ(assembled.events, expected.value(u"data_events"_s).toInt());
    EXPECT_EQ(assembled.done, expected.value(u"done_sentinel"_s).toBool());

    QSet<QString> eventTypes;
    for (const QJsonValue &type : expected.value(u"event_types"_s).toArray()) {
        eventTypes.insert(type.toString());
    }
    EXPECT_EQ(assembled.eventTypes, eventTypes);
    expectUsageMatches(assembled.usage, expected.value(u"usage"_s));

    const QJsonArray errors = expected.value(u"in_band_errors"_s).toArray();
    ASSERT_EQ(assembled.errors.size(), errors.size());
    for (qsizetype i = 0; i < errors.size(); ++i) {
        const QString message = errors.at(i).toObject().value(u"message"_s).toString();
        EXPECT_TRUE(assembled.errors.at(i).message.contains(message))
                << assembled.errors.at(i).message.toStdString();
    }

    const QJsonObject choices = expected.value(u"choices"_s).toObject();
    EXPECT_EQ(assembled.replies.size(), choices.size());
    for (auto it = choices.begin(); it != choices.end(); ++it) {
        SCOPED_TRACE("choice " + it.key().toStdString());
        expectReplyMatches(assembled.replies.value(it.key().toInt()), it.value().toObject());
    }
}

// One event of a recording, read by the test itself, for the truncation oracle.
struct OracleEvent
{
    qsizetype end = 0; // just past the blank line that dispatches it
    bool done = false;
    bool firstChoiceFinished = false;
    bool error = false;
};

QByteArray dataOf(QByteArrayView block, bool *isErrorEvent)
{
    QByteArray data;
    bool first = true;
    for (const QByteArray &line : block.toByteArray().split('\n')) {
        if (line.startsWith("event:")) {
            *isErrorEvent = line.mid(6).trimmed() == "error";
        }
        if (!line.startsWith("data:")) {
            continue;
        }
        QByteArray value = line.mid(5);
        if (value.startsWith(' ')) {
            value.remove(0, 1);
        }
        data += (first ? QByteArray() : QByteArray("\n")) + value;
        first = false;
    }
    return data;
}

OracleEvent readOracleEvent(QByteArrayView block, qsizetype end)
{
    OracleEvent event;
    event.end = end;
    bool isErrorEvent = false;
    const QByteArray data = dataOf(block, &isErrorEvent);
    if (data.trimmed() == "[DONE]") {
        event.done = true;
        return event;
    }

    const QJsonObject root = QJsonDocument::fromJson(data).object();
    const QJsonValue error = root.value(u"error"_s);
    event.error = isErrorEvent || (!error.isUndefined() && !error.isNull());
    for (const QJsonValue &choice : root.value(u"choices"_s).toArray()) {
        const QJsonObject object = choice.toObject();
        if (object.value(u"index"_s).toInt() == 0
            && !object.value(u"finish_reason"_s).toString().isEmpty()) {
            event.firstChoiceFinished = true;
        }
    }
    return event;
}

// The events of an LF recording, split on blank lines, with where each ends.
QList<OracleEvent> oracleEvents(const QByteArray &body)
{
    QList<OracleEvent> events;
    qsizetype start = 0;
    for (qsizetype at = body.indexOf("\n\n"); at >= 0; at = body.indexOf("\n\n", start)) {
        events.append(readOracleEvent(QByteArrayView(body).sliced(start, at - start), at + 2));
        start = at + 2;
    }
    return events;
}

// Whether a stream cut after `cut` bytes has ended properly: [DONE] or a finish reason of
// the first choice came before any error, or the cut leaves a last `data: [DONE]` line
// without its blank line (which the parser accepts on purpose).
bool completeWhenCutAt(const QByteArray &body, const QList<OracleEvent> &events, qsizetype cut)
{
    qsizetype lastEnd = 0;
    for (const OracleEvent &event : events) {
        if (event.end > cut) {
            break;
        }
        if (event.done || event.firstChoiceFinished) {
            return true;
        }
        if (event.error) {
            return false;
        }
        lastEnd = event.end;
    }
    bool isErrorEvent = false;
    return dataOf(QByteArrayView(body).sliced(lastEnd, cut - lastEnd), &isErrorEvent).trimmed()
            == "[DONE]";
}

class FixtureStream : public testing::TestWithParam<std::string>
{
protected:
    QString fileName() const { return QString::fromStdString(GetParam()); }
};

} // namespace

TEST_P(FixtureStream, AssemblesToExpectedHoweverDelivered)
{
    const QByteArray body = fixtures::read(fileName());
    const QJsonObject expected = fixtures::expected(fileName());
    ASSERT_FALSE(body.isEmpty());
    ASSERT_FALSE(expected.isEmpty());
    ASSERT_FALSE(body.contains('\r')) << "the line-end variants assume an LF recording";

    for (const Delivery &delivery : deliveries(body)) {
        SCOPED_TRACE(delivery.name);
        Assembler assembler;

        for (const QByteArray &piece : delivery.pieces) {
            assembler.feed(piece);
        }

        expectAssembledMatches(assembler.result(), expected);
    }
}

TEST_P(FixtureStream, ChatStreamParserDeliversFirstChoice)
{
    const QByteArray body = fixtures::read(fileName());
    const QJsonObject expected = fixtures::expected(fileName());
    const QJsonObject firstChoice =
            expected.value(u"choices"_s).toObject().value(u"0"_s).toObject();
    const QJsonArray errors = expected.value(u"in_band_errors"_s).toArray();
    const bool endsProperly = expected.value(u"done_sentinel"_s).toBool()
            || !firstChoice.value(u"finish_reason"_s).toString().isEmpty();

    for (const unsigned seed : {1U, 2U, 3U}) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        ChatStreamParser parser;
        ChatReply reply;
        std::optional<ChatError> error;

        for (const QByteArray &piece : piecesAt(body, cutPoints(body, seed))) {
            const auto result = parser.feed(piece);
            if (!result) {
                for (const ChatDelta &delta : parser.deltasBeforeError()) {
                    reply.apply(delta);
                }
                error = result.error();
                break;
            }
            for (const ChatDelta &delta : result.value()) {
                reply.apply(delta);
            }
        }
        const ChatStreamParser::Ending ending = parser.finish();

        expectReplyMatches(reply, firstChoice);
        expectUsageMatches(reply.usage, expected.value(u"usage"_s));
        EXPECT_EQ(ending, endsProperly ? ChatStreamParser::Ending::Complete
                                       : ChatStreamParser::Ending::Truncated);
        ASSERT_EQ(error.has_value(), !errors.isEmpty());
        if (error) {
            const QString message = errors.first().toObject().value(u"message"_s).toString();
            EXPECT_TRUE(error->message.contains(message)) << error->message.toStdString();
        } else {
            EXPECT_EQ(parser.sawDone(), body.contains("[DONE]"));
        }
    }
}

TEST_P(FixtureStream, EndsTruncatedUnlessDoneOrFinishReasonCame)
{
    const QByteArray body = fixtures::read(fileName());
    const QList<OracleEvent> events = oracleEvents(body);
    ASSERT_FALSE(events.isEmpty());

    // Cut at every event boundary, and one byte short of it (the blank line missing).
    std::set<qsizetype> cuts {0, body.size()};
    for (const OracleEvent &event : events) {
        cuts.insert(event.end);
        cuts.insert(event.end - 1);
    }

    // One parser reads on from cut to cut; a copy of it ends the stream at each cut.
    ChatStreamParser reader;
    qsizetype fed = 0;
    bool readerFailed = false;
    for (const qsizetype cut : cuts) {
        if (!readerFailed) {
            readerFailed = !reader.feed(QByteArrayView(body).sliced(fed, cut - fed)).ok();
        }
        fed = cut;
        ChatStreamParser parser = reader;

        const ChatStreamParser::Ending ending = parser.finish();

        const bool complete = completeWhenCutAt(body, events, cut);
        EXPECT_EQ(ending, complete ? ChatStreamParser::Ending::Complete
                                   : ChatStreamParser::Ending::Truncated)
                << "cut after " << cut << " of " << body.size() << " bytes";
        if (!readerFailed && !complete) {
            EXPECT_FALSE(parser.sawDone());
            EXPECT_FALSE(parser.sawFinishReason());
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Recorded,
                         FixtureStream,
                         testing::ValuesIn(openAiShapedFiles()),
                         [](const testing::TestParamInfo<std::string> &param) {
                             return testNameOf(param.param);
                         });

TEST(FixtureStream, FramesGeminiNativeCrLfStream)
{
    const QByteArray body = fixtures::read(kGeminiNative);
    ASSERT_TRUE(body.contains("\r\n"));

    for (const unsigned seed : {1U, 2U, 3U, 4U}) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        SseParser parser;
        QList<SseEvent> events;

        for (const QByteArray &piece : piecesAt(body, cutPoints(body, seed))) {
            auto result = parser.feed(piece);
            ASSERT_TRUE(result.ok());
            events += result.value();
        }

        ASSERT_EQ(events.size(), 3);
        for (const SseEvent &event : events) {
            EXPECT_FALSE(event.data.contains('\r'));
            EXPECT_TRUE(QJsonDocument::fromJson(event.data).isObject());
        }
        EXPECT_FALSE(parser.takeUnterminated().has_value());
    }
}
