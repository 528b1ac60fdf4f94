#include "core/provider/chatstreamparser.h"
#include "core/provider/chunkdecoder.h"

#include <gtest/gtest.h>

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

DecodedChunk decodeOne(const QByteArray &data, const QByteArray &type = "message")
{
    ChunkDecoder decoder;
    return decoder.decode(type, data);
}

ChatError errorOf(const char *json)
{
    return ChunkDecoder::errorFromJson(QJsonDocument::fromJson(json).object());
}

// Applies deltas of choice 0 of several chunks decoded by one decoder.
ChatReply assemble(const QList<QByteArray> &chunks)
{
    ChunkDecoder decoder;
    ChatReply reply;
    for (const QByteArray &data : chunks) {
        reply.apply(decoder.decode("message", data).choices.value(0));
    }
    return reply;
}

std::string text(const QString &string)
{
    return string.toStdString();
}

} // namespace

TEST(ChunkDecoder, ReadsContentString)
{
    const QByteArray data = R"({"choices":[{"index":0,"delta":{"content":"Hi"}}]})";

    const DecodedChunk chunk = decodeOne(data);

    ASSERT_TRUE(chunk.choices.contains(0));
    EXPECT_EQ(text(chunk.choices.value(0).content), "Hi");
    EXPECT_FALSE(chunk.error.has_value());
    EXPECT_FALSE(chunk.done);
}

TEST(ChunkDecoder, ReadsNullContentAsNothing)
{
    const QByteArray data = R"({"choices":[{"index":0,"delta":{"content":null,"refusal":"No"}}]})";

    const DecodedChunk chunk = decodeOne(data);

    EXPECT_TRUE(chunk.choices.value(0).content.isEmpty());
    EXPECT_EQ(text(chunk.choices.value(0).refusal), "No");
}

TEST(ChunkDecoder, ReadsMistralContentParts)
{
    const QByteArray data = R"({"choices":[{"index":0,"delta":{"content":[
        {"type":"thinking","thinking":[{"type":"text","text":"Hmm"},{"type":"text","text":"."}]},
        {"type":"text","text":"Four"}]}}]})";

    const DecodedChunk chunk = decodeOne(data);

    EXPECT_EQ(text(chunk.choices.value(0).reasoning), "Hmm.");
    EXPECT_EQ(text(chunk.choices.value(0).content), "Four");
}

TEST(ChunkDecoder, CountsReasoningOnceWhenChunkHasBothNames)
{
    const QByteArray data =
            R"({"choices":[{"index":0,"delta":{"reasoning_content":"a","reasoning":"a"}}]})";

    const DecodedChunk chunk = decodeOne(data);

    EXPECT_EQ(text(chunk.choices.value(0).reasoning), "a");
}

TEST(ChunkDecoder, ReadsReasoningField)
{
    const QByteArray data = R"({"choices":[{"index":0,"delta":{"reasoning":"think"}}]})";

    const DecodedChunk chunk = decodeOne(data);

    EXPECT_EQ(text(chunk.choices.value(0).reasoning), "think");
}

TEST(ChunkDecoder, SkipsReasoningDetailsThatRepeatReasoning)
{
    const QList<QByteArray> chunks {
        R"({"choices":[{"index":0,"delta":{"reasoning":"We",
            "reasoning_details":[{"type":"reasoning.text","text":"We"}]}}]})",
        R"({"choices":[{"index":0,"delta":{"reasoning":null,
            "reasoning_details":[{"type":"reasoning.text","text":" need"}]}}]})",
    };

    const ChatReply reply = assemble(chunks);

    EXPECT_EQ(text(reply.reasoning), "We");
}

TEST(ChunkDecoder, ReadsReasoningDetailsWhenStreamHasNoReasoningField)
{
    const QList<QByteArray> chunks {
        R"({"choices":[{"index":0,"delta":{"content":"",
            "reasoning_details":[{"type":"reasoning.text","text":"15"}]}}]})",
        R"({"choices":[{"index":0,"delta":{
            "reasoning_details":[{"type":"reasoning.encrypted","data":"xyz"},
                                 {"type":"reasoning.text","text":" * 27"}]}}]})",
    };

    const ChatReply reply = assemble(chunks);

    EXPECT_EQ(text(reply.reasoning), "15 * 27");
}

TEST(ChunkDecoder, MergesToolCallFragmentsWithEmptyIdAsAbsent)
{
    const QList<QByteArray> chunks {
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1",
            "type":"function","function":{"name":"weather","arguments":""}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"","type":"",
            "function":{"name":"","arguments":"{\"a\":"}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,
            "function":{"arguments":"1}"}}]},"finish_reason":"tool_calls"}]})",
    };

    const ChatReply reply = assemble(chunks);

    ASSERT_EQ(reply.toolCalls.size(), 1);
    EXPECT_EQ(text(reply.toolCalls.first().id), "call_1");
    EXPECT_EQ(text(reply.toolCalls.first().type), "function");
    EXPECT_EQ(text(reply.toolCalls.first().name), "weather");
    EXPECT_EQ(text(reply.toolCalls.first().arguments), "{\"a\":1}");
    EXPECT_EQ(text(reply.finishReason), "tool_calls");
}

TEST(ChunkDecoder, ReadsToolCallsWithNullListAsNone)
{
    const QByteArray data =
            R"({"choices":[{"index":0,"delta":{"content":"x","tool_calls":null}}]})";

    const DecodedChunk chunk = decodeOne(data);

    EXPECT_TRUE(chunk.choices.value(0).toolCallFragments.isEmpty());
}

TEST(ChunkDecoder, ReadsChoiceWithoutDelta)
{
    const QByteArray data = R"({"choices":[{"index":0,"finish_reason":"content_filter",
        "content_filter_results":{}}]})";

    const DecodedChunk chunk = decodeOne(data);

    ASSERT_TRUE(chunk.choices.contains(0));
    EXPECT_EQ(text(chunk.choices.value(0).finishReason), "content_filter");
}

TEST(ChunkDecoder, ReadsNullFinishReasonAsNone)
{
    const QByteArray data = R"({"choices":[{"index":0,"delta":{},"finish_reason":null}]})";

    const DecodedChunk chunk = decodeOne(data);

    EXPECT_TRUE(chunk.choices.value(0).finishReason.isEmpty());
}

TEST(ChunkDecoder, KeepsChoicesApartByIndex)
{
    const QByteArray data = R"({"choices":[{"index":2,"delta":{"content":"c"}},
        {"index":1,"delta":{"content":"b"}}]})";

    const DecodedChunk chunk = decodeOne(data);

    EXPECT_EQ(chunk.choices.size(), 2);
    EXPECT_EQ(text(chunk.choices.value(1).content), "b");
    EXPECT_EQ(text(chunk.choices.value(2).content), "c");
}

TEST(ChunkDecoder, ReadsUsageOfChunkWithEmptyChoices)
{
    const QByteArray data =
            R"({"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}})";

    const DecodedChunk chunk = decodeOne(data);

    EXPECT_TRUE(chunk.choices.isEmpty());
    ASSERT_TRUE(chunk.usage.known);
    EXPECT_EQ(chunk.usage.promptTokens, 3);
    EXPECT_EQ(chunk.usage.completionTokens, 4);
    EXPECT_EQ(chunk.usage.totalTokens, 7);
}

TEST(ChunkDecoder, FallsBackToGroqUsage)
{
    const QByteArray data = R"({"choices":[],"usage":null,"x_groq":{"id":"r",
        "usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}})";

    const DecodedChunk chunk = decodeOne(data);

    ASSERT_TRUE(chunk.usage.known);
    EXPECT_EQ(chunk.usage.totalTokens, 3);
}

TEST(ChunkDecoder, RecognisesDoneWithWhitespace)
{
    const DecodedChunk chunk = decodeOne(" [DONE] \n");

    EXPECT_TRUE(chunk.done);
    EXPECT_FALSE(chunk.error.has_value());
}

TEST(ChunkDecoder, ReportsDataThatIsNotJsonAsProtocolError)
{
    const DecodedChunk chunk = decodeOne("<html>Bad gateway</html>");

    ASSERT_TRUE(chunk.error.has_value());
    EXPECT_EQ(chunk.error->kind, ErrorKind::Protocol);
}

TEST(ChunkDecoder, ReportsErrorObjectInChunkAndKeepsItsUsage)
{
    const QByteArray data = R"({"error":{"code":400,"message":"Token limit reached"},
        "choices":[{"index":0,"delta":{"content":""}}],
        "usage":{"prompt_tokens":43,"completion_tokens":10,"total_tokens":53}})";

    const DecodedChunk chunk = decodeOne(data);

    ASSERT_TRUE(chunk.error.has_value());
    EXPECT_EQ(chunk.error->kind, ErrorKind::BadRequest);
    EXPECT_EQ(text(chunk.error->message), "Token limit reached");
    EXPECT_EQ(chunk.error->httpStatus, 400);
    EXPECT_TRUE(chunk.usage.known);
}

TEST(ChunkDecoder, ReportsErrorEvent)
{
    const QByteArray data = R"({"error":{"message":"Tool call validation failed",
        "type":"invalid_request_error","code":"tool_use_failed","status_code":400}})";

    const DecodedChunk chunk = decodeOne(data, "error");

    ASSERT_TRUE(chunk.error.has_value());
    EXPECT_EQ(chunk.error->kind, ErrorKind::BadRequest);
    EXPECT_EQ(text(chunk.error->message), "Tool call validation failed");
    EXPECT_FALSE(chunk.error->retryable);
}

TEST(ChunkDecoder, ReportsErrorEventWithPlainText)
{
    const DecodedChunk chunk = decodeOne("upstream overloaded", "error");

    ASSERT_TRUE(chunk.error.has_value());
    EXPECT_EQ(chunk.error->kind, ErrorKind::Server);
    EXPECT_EQ(text(chunk.error->message), "upstream overloaded");
}

TEST(ChunkDecoder, ClassifiesErrorObjectsByStatedStatus)
{
    const ChatError fromStatusCode = errorOf(R"({"status_code":401,"message":"x"})");
    const ChatError fromStatus = errorOf(R"({"status":404,"message":"x"})");
    const ChatError fromCode = errorOf(R"({"code":429,"message":"Provider returned error"})");
    const ChatError fromText = errorOf(R"({"code":"503","message":"x"})");
    const ChatError quota = errorOf(R"({"code":"insufficient_quota","status":429,"message":"x"})");
    const ChatError context = errorOf(
            R"({"code":400,"message":"This model's maximum context length is 8192 tokens"})");
    const ChatError unknown = errorOf(R"({"message":"something odd","code":"weird"})");

    EXPECT_EQ(fromStatusCode.kind, ErrorKind::Auth);
    EXPECT_EQ(fromStatusCode.httpStatus, 401);
    EXPECT_EQ(fromStatus.kind, ErrorKind::NotFound);
    EXPECT_EQ(fromCode.kind, ErrorKind::RateLimit);
    EXPECT_EQ(fromText.kind, ErrorKind::Server);
    EXPECT_EQ(quota.kind, ErrorKind::Quota);
    EXPECT_EQ(context.kind, ErrorKind::ContextLength);
    EXPECT_EQ(unknown.kind, ErrorKind::Server);
    EXPECT_EQ(unknown.httpStatus, 0);
    EXPECT_TRUE(unknown.retryable);
}

TEST(ChunkDecoder, AddsUpstreamTextToRouterMessage)
{
    const ChatError error = errorOf(R"({"code":429,"message":"Provider returned error",
        "metadata":{"raw":"gemini is rate-limited upstream"}})");

    EXPECT_TRUE(error.message.contains(u"Provider returned error"_s));
    EXPECT_TRUE(error.message.contains(u"gemini is rate-limited upstream"_s));
}

TEST(ChatStreamParser, DeliversDeltasOfFirstChoiceOnly)
{
    ChatStreamParser parser;
    const QByteArray body = R"(data: {"choices":[{"index":1,"delta":{"content":"b"}},)"
                            R"({"index":0,"delta":{"content":"a"}}]})"
                            "\n\n";

    const auto result = parser.feed(body);

    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result.value().size(), 1);
    EXPECT_EQ(text(result.value().first().content), "a");
}

TEST(ChatStreamParser, AttachesUsageOfEmptyChoicesChunk)
{
    ChatStreamParser parser;
    const QByteArray body = R"(data: {"choices":[],"usage":{"prompt_tokens":1,)"
                            R"("completion_tokens":2,"total_tokens":3}})"
                            "\n\n";

    const auto result = parser.feed(body);

    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result.value().size(), 1);
    EXPECT_EQ(result.value().first().usage.totalTokens, 3);
}

TEST(ChatStreamParser, IsTruncatedWithoutFinishReasonOrDone)
{
    ChatStreamParser parser;
    const auto result =
            parser.feed(R"(data: {"choices":[{"index":0,"delta":{"content":"a"}}]})" "\n\n");

    const ChatStreamParser::Ending ending = parser.finish();

    ASSERT_TRUE(result.ok());
    EXPECT_EQ(ending, ChatStreamParser::Ending::Truncated);
    EXPECT_FALSE(parser.sawDone());
    EXPECT_FALSE(parser.sawFinishReason());
}

TEST(ChatStreamParser, IsCompleteAfterFinishReasonWithoutDone)
{
    ChatStreamParser parser;
    const auto result = parser.feed(
            "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");

    const ChatStreamParser::Ending ending = parser.finish();

    ASSERT_TRUE(result.ok());
    EXPECT_EQ(ending, ChatStreamParser::Ending::Complete);
    EXPECT_TRUE(parser.sawFinishReason());
}

TEST(ChatStreamParser, AcceptsDoneWithoutBlankLineAtEnd)
{
    ChatStreamParser parser;
    const auto result = parser.feed("data: [DONE]\n");

    const ChatStreamParser::Ending ending = parser.finish();

    ASSERT_TRUE(result.ok());
    EXPECT_EQ(ending, ChatStreamParser::Ending::Complete);
    EXPECT_TRUE(parser.sawDone());
}

TEST(ChatStreamParser, DoesNotTrustOtherUnterminatedEvent)
{
    ChatStreamParser parser;
    const auto result = parser.feed(
            "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n");

    const ChatStreamParser::Ending ending = parser.finish();

    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(result.value().isEmpty());
    EXPECT_EQ(ending, ChatStreamParser::Ending::Truncated);
}

TEST(ChatStreamParser, ReportsErrorAndKeepsDeltasBeforeIt)
{
    ChatStreamParser parser;
    const QByteArray body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
                            "event: error\n"
                            R"(data: {"error":{"message":"Rate limit reached","code":429}})"
                            "\n\n";

    const auto result = parser.feed(body);
    const auto after = parser.feed("data: {\"choices\":[]}\n\n");

    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::RateLimit);
    EXPECT_EQ(text(result.error().message), "Rate limit reached");
    ASSERT_EQ(parser.deltasBeforeError().size(), 1);
    EXPECT_EQ(text(parser.deltasBeforeError().first().content), "a");
    EXPECT_FALSE(after.ok());
}

TEST(ChatStreamParser, ReportsLineOverBoundAsProtocolError)
{
    ChatStreamParser parser;
    const QByteArray chunk(1024 * 1024, 'x');

    Result<QList<ChatDelta>, ChatError> result = QList<ChatDelta> {};
    for (int i = 0; i < 9 && result.ok(); ++i) {
        result = parser.feed(chunk);
    }

    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::Protocol);
}

TEST(ChatStreamParser, IgnoresBytesAfterDone)
{
    ChatStreamParser parser;
    const auto done = parser.feed("data: [DONE]\n\n");

    const auto after = parser.feed("data: not json\n\n");

    ASSERT_TRUE(done.ok());
    ASSERT_TRUE(after.ok());
    EXPECT_TRUE(after.value().isEmpty());
    EXPECT_EQ(parser.finish(), ChatStreamParser::Ending::Complete);
}
