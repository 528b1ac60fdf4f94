#include "core/worker/deltacoalescer.h"

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

using Clock = DeltaCoalescer::Clock;

ChatDelta text(const QString &content)
{
    ChatDelta delta;
    delta.content = content;
    return delta;
}

} // namespace

TEST(DeltaCoalescer, StartsWithNothingPending)
{
    const DeltaCoalescer coalescer(20ms, 4096);

    EXPECT_FALSE(coalescer.hasPending());
    EXPECT_FALSE(coalescer.isDue(Clock::now()));
}

TEST(DeltaCoalescer, MergesTextInOrder)
{
    DeltaCoalescer coalescer(20ms, 4096);
    const Clock::time_point t0 = Clock::now();
    ChatDelta reasoning;
    reasoning.reasoning = u"think"_s;

    coalescer.add(text(u"Hel"_s), t0);
    coalescer.add(reasoning, t0 + 1ms);
    coalescer.add(text(u"lo"_s), t0 + 2ms);
    const ChatDelta merged = coalescer.take();

    EXPECT_EQ(merged.content, u"Hello"_s);
    EXPECT_EQ(merged.reasoning, u"think"_s);
    EXPECT_FALSE(coalescer.hasPending());
}

TEST(DeltaCoalescer, DueOneIntervalAfterFirstPendingDelta)
{
    DeltaCoalescer coalescer(20ms, 4096);
    const Clock::time_point t0 = Clock::now();

    coalescer.add(text(u"a"_s), t0);
    coalescer.add(text(u"b"_s), t0 + 15ms);

    EXPECT_EQ(coalescer.dueAt(), t0 + 20ms);
    EXPECT_FALSE(coalescer.isDue(t0 + 19ms));
    EXPECT_TRUE(coalescer.isDue(t0 + 20ms));
}

TEST(DeltaCoalescer, IntervalRestartsAfterTake)
{
    DeltaCoalescer coalescer(20ms, 4096);
    const Clock::time_point t0 = Clock::now();
    coalescer.add(text(u"a"_s), t0);
    coalescer.take();

    coalescer.add(text(u"b"_s), t0 + 50ms);

    EXPECT_EQ(coalescer.dueAt(), t0 + 70ms);
    EXPECT_FALSE(coalescer.isDue(t0 + 60ms));
}

TEST(DeltaCoalescer, ByteLimitMakesItDueAtOnce)
{
    DeltaCoalescer coalescer(20ms, 8);
    const Clock::time_point t0 = Clock::now();

    const bool firstFull = coalescer.add(text(u"1234"_s), t0);
    const bool secondFull = coalescer.add(text(u"5678"_s), t0);

    EXPECT_FALSE(firstFull);
    EXPECT_TRUE(secondFull);
    EXPECT_TRUE(coalescer.isDue(t0));
    EXPECT_EQ(coalescer.pendingBytes(), 8);
}

TEST(DeltaCoalescer, CountsUtf8BytesOfChineseText)
{
    DeltaCoalescer coalescer(20ms, 9);
    const Clock::time_point t0 = Clock::now();

    const bool twoCharacters = coalescer.add(text(u"今天"_s), t0);
    const bool threeCharacters = coalescer.add(text(u"有"_s), t0);

    EXPECT_FALSE(twoCharacters);
    EXPECT_TRUE(threeCharacters);
    EXPECT_EQ(coalescer.pendingBytes(), 9);
}

TEST(DeltaCoalescer, KeepsLastUsageAndFinishReason)
{
    DeltaCoalescer coalescer(20ms, 4096);
    const Clock::time_point t0 = Clock::now();
    ChatDelta finish;
    finish.finishReason = u"stop"_s;
    ChatDelta usage;
    usage.usage.known = true;
    usage.usage.completionTokens = 7;

    coalescer.add(text(u"x"_s), t0);
    coalescer.add(finish, t0);
    coalescer.add(usage, t0);
    const ChatDelta merged = coalescer.take();

    EXPECT_EQ(merged.finishReason, u"stop"_s);
    EXPECT_TRUE(merged.usage.known);
    EXPECT_EQ(merged.usage.completionTokens, 7);
}

TEST(DeltaCoalescer, KeepsToolCallFragmentsInOrder)
{
    DeltaCoalescer coalescer(20ms, 4096);
    const Clock::time_point t0 = Clock::now();
    ChatDelta first;
    first.toolCallFragments.append(
            ToolCall {0, u"call_1"_s, u"function"_s, u"get"_s, u"{\"a\""_s});
    ChatDelta second;
    second.toolCallFragments.append(ToolCall {0, QString(), QString(), QString(), u":1}"_s});

    coalescer.add(first, t0);
    coalescer.add(second, t0);
    ChatReply reply;
    reply.apply(coalescer.take());

    ASSERT_EQ(reply.toolCalls.size(), 1);
    EXPECT_EQ(reply.toolCalls.first().id, u"call_1"_s);
    EXPECT_EQ(reply.toolCalls.first().arguments, u"{\"a\":1}"_s);
}

TEST(DeltaCoalescer, EmptyDeltaLeavesNothingPending)
{
    DeltaCoalescer coalescer(20ms, 4096);

    coalescer.add(ChatDelta(), Clock::now());

    EXPECT_FALSE(coalescer.hasPending());
}
