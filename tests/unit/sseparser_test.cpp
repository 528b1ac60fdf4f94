#include "core/provider/sseparser.h"

#include <gtest/gtest.h>

namespace {

// Feeds each piece in turn and returns every event, failing the test on a parse error.
QList<SseEvent> parseAll(SseParser &parser, const QList<QByteArray> &pieces)
{
    QList<SseEvent> events;
    for (const QByteArray &piece : pieces) {
        auto result = parser.feed(piece);
        EXPECT_TRUE(result.ok()) << result.error().message.toStdString();
        if (!result.ok()) {
            break;
        }
        events += result.value();
    }
    return events;
}

QList<SseEvent> parseAll(const QList<QByteArray> &pieces)
{
    SseParser parser;
    return parseAll(parser, pieces);
}

QList<QByteArray> oneByteAtATime(const QByteArray &bytes)
{
    QList<QByteArray> pieces;
    for (const char c : bytes) {
        pieces.append(QByteArray(1, c));
    }
    return pieces;
}

} // namespace

TEST(SseParser, DispatchesEventOnBlankLine)
{
    SseParser parser;

    const auto first = parser.feed("data: hello\n");
    const auto second = parser.feed("\n");

    ASSERT_TRUE(first.ok());
    EXPECT_TRUE(first.value().isEmpty());
    ASSERT_TRUE(second.ok());
    ASSERT_EQ(second.value().size(), 1);
    EXPECT_EQ(second.value().first().data, "hello");
    EXPECT_EQ(second.value().first().type, "message");
}

TEST(SseParser, AcceptsCrLfLineEnds)
{
    const QByteArray body = "data: one\r\n\r\ndata: two\r\n\r\n";

    const QList<SseEvent> events = parseAll({body});

    ASSERT_EQ(events.size(), 2);
    EXPECT_EQ(events.at(0).data, "one");
    EXPECT_EQ(events.at(1).data, "two");
}

TEST(SseParser, AcceptsCrAloneAsLineEnd)
{
    const QByteArray body = "data: one\rdata: two\r\rdata: three\r\r";

    const QList<SseEvent> events = parseAll({body});

    ASSERT_EQ(events.size(), 2);
    EXPECT_EQ(events.at(0).data, "one\ntwo");
    EXPECT_EQ(events.at(1).data, "three");
}

TEST(SseParser, JoinsCrLfSplitAcrossReads)
{
    // Were the LF after the split read as a line of its own, "a" would be dispatched alone.
    const QList<QByteArray> pieces {"data: a\r", "\ndata: b\r", "\n\r", "\n"};

    const QList<SseEvent> events = parseAll(pieces);

    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().data, "a\nb");
}

TEST(SseParser, CrAtEndOfReadThenCrIsBlankLine)
{
    const QList<QByteArray> pieces {"data: a\r", "\r"};

    const QList<SseEvent> events = parseAll(pieces);

    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().data, "a");
}

TEST(SseParser, RemovesOnlyOneSpaceAfterColon)
{
    const QByteArray body = "data:nospace\n\ndata:  two spaces\n\ndata:\n\n";

    const QList<SseEvent> events = parseAll({body});

    ASSERT_EQ(events.size(), 3);
    EXPECT_EQ(events.at(0).data, "nospace");
    EXPECT_EQ(events.at(1).data, " two spaces");
    EXPECT_EQ(events.at(2).data, "");
}

TEST(SseParser, IgnoresCommentLines)
{
    const QByteArray body = ": OPENROUTER PROCESSING\n\n:keep-alive\ndata: x\n: mid-event\n\n";

    const QList<SseEvent> events = parseAll({body});

    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().data, "x");
}

TEST(SseParser, JoinsMultiLineData)
{
    const QByteArray body = "data: {\"a\":\ndata: 1}\ndata:\n\n";

    const QList<SseEvent> events = parseAll({body});

    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().data, "{\"a\":\n1}\n");
}

TEST(SseParser, ReadsEventTypeAndId)
{
    const QByteArray body = "event: error\nid: 7\ndata: x\n\ndata: y\n\n";

    const QList<SseEvent> events = parseAll({body});

    ASSERT_EQ(events.size(), 2);
    EXPECT_EQ(events.at(0).type, "error");
    EXPECT_EQ(events.at(0).lastEventId, "7");
    EXPECT_EQ(events.at(1).type, "message");
    EXPECT_EQ(events.at(1).lastEventId, "7");
}

TEST(SseParser, IgnoresIdHoldingNul)
{
    const char raw[] = "id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n";
    const QByteArray body(raw, sizeof(raw) - 1);

    const QList<SseEvent> events = parseAll({body});

    ASSERT_EQ(events.size(), 2);
    EXPECT_EQ(events.at(1).lastEventId, "1");
}

TEST(SseParser, DropsEventWithoutDataAndItsType)
{
    const QByteArray body = "event: ping\n\ndata: x\n\n";

    const QList<SseEvent> events = parseAll({body});

    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().type, "message");
}

TEST(SseParser, ReadsLineWithoutColonAsEmptyField)
{
    const QByteArray body = "data\n\n";

    const QList<SseEvent> events = parseAll({body});

    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().data, "");
}

TEST(SseParser, IgnoresUnknownFields)
{
    const QByteArray body = "foo: bar\ndata: x\nDATA: y\n\n";

    const QList<SseEvent> events = parseAll({body});

    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().data, "x");
}

TEST(SseParser, ReadsRetryOnlyWhenAllDigits)
{
    SseParser parser;

    const QList<SseEvent> events = parseAll(parser, {"retry: 1500\nretry: 2x\n\n"});

    EXPECT_TRUE(events.isEmpty());
    ASSERT_TRUE(parser.retry().has_value());
    EXPECT_EQ(parser.retry()->count(), 1500);
}

TEST(SseParser, DoesNotDispatchUnterminatedLastEvent)
{
    SseParser parser;

    const QList<SseEvent> events = parseAll(parser, {"data: a\n\ndata: b\n"});
    const std::optional<SseEvent> rest = parser.takeUnterminated();

    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().data, "a");
    ASSERT_TRUE(rest.has_value());
    EXPECT_EQ(rest->data, "b");
}

TEST(SseParser, UnterminatedIncludesLastLineWithoutLineEnd)
{
    SseParser parser;

    const QList<SseEvent> events = parseAll(parser, {"data: a\ndata: [DO", "NE]"});
    const std::optional<SseEvent> rest = parser.takeUnterminated();
    const std::optional<SseEvent> again = parser.takeUnterminated();

    EXPECT_TRUE(events.isEmpty());
    ASSERT_TRUE(rest.has_value());
    EXPECT_EQ(rest->data, "a\n[DONE]");
    EXPECT_FALSE(again.has_value());
}

TEST(SseParser, NothingUnterminatedAfterBlankLine)
{
    SseParser parser;

    const QList<SseEvent> events = parseAll(parser, {"data: a\n\n: comment\n"});

    EXPECT_EQ(events.size(), 1);
    EXPECT_FALSE(parser.takeUnterminated().has_value());
}

TEST(SseParser, JoinsDataSplitAcrossReads)
{
    const QByteArray body = "event: x\ndata: {\"a\": 1}\n\ndata:[DONE]\n\n";

    const QList<SseEvent> events = parseAll(oneByteAtATime(body));

    ASSERT_EQ(events.size(), 2);
    EXPECT_EQ(events.at(0).type, "x");
    EXPECT_EQ(events.at(0).data, "{\"a\": 1}");
    EXPECT_EQ(events.at(1).data, "[DONE]");
}

TEST(SseParser, KeepsUtf8SplitInsideCharacter)
{
    const QByteArray text = QStringLiteral("你好, wörld").toUtf8();
    const QByteArray body = "data: " + text + "\n\n";

    const QList<SseEvent> events = parseAll(oneByteAtATime(body));

    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(QString::fromUtf8(events.first().data), QStringLiteral("你好, wörld"));
}

TEST(SseParser, SkipsByteOrderMarkSplitAcrossReads)
{
    const QList<QByteArray> pieces {"\xEF", "\xBB", "\xBF" "data: x\n\n"};

    const QList<SseEvent> events = parseAll(pieces);

    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().data, "x");
}

TEST(SseParser, KeepsBytesThatOnlyStartLikeByteOrderMark)
{
    SseParser parser;

    const QList<SseEvent> events = parseAll(parser, {"\xEF", "data: x\n\n"});

    ASSERT_TRUE(events.isEmpty());
}

TEST(SseParser, FailsOnLineOverBound)
{
    SseParser parser(64);

    const auto first = parser.feed(QByteArray(40, 'a'));
    const auto second = parser.feed(QByteArray(40, 'a'));

    ASSERT_TRUE(first.ok());
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().kind, ErrorKind::Protocol);
    EXPECT_TRUE(parser.failed());
}

TEST(SseParser, FailsOnEventOverBound)
{
    SseParser parser(64);
    const QByteArray line = "data: " + QByteArray(30, 'x') + '\n';

    const auto first = parser.feed(line);
    const auto second = parser.feed(QByteArray(line + line));

    ASSERT_TRUE(first.ok());
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().kind, ErrorKind::Protocol);
}

TEST(SseParser, AcceptsEventsUpToBound)
{
    SseParser parser(64);
    const QByteArray line = "data: " + QByteArray(20, 'x') + '\n';

    const auto result = parser.feed(QByteArray(line + line + '\n' + line + line + '\n'));

    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.value().size(), 2);
}

TEST(SseParser, StaysFailedAfterError)
{
    SseParser parser(8);
    const auto failure = parser.feed("data: much too long\n\n");

    const auto after = parser.feed("data: x\n\n");

    ASSERT_FALSE(failure.ok());
    EXPECT_FALSE(after.ok());
    EXPECT_FALSE(parser.takeUnterminated().has_value());
}
