#include "core/provider/backoff.h"

#include <QRandomGenerator>
#include <QTimeZone>

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using std::chrono::milliseconds;

TEST(Backoff, FullJitterStaysUnderTheExponentialCeiling)
{
    RetryPolicy policy;
    policy.baseDelay = 100ms;
    policy.maxDelay = 1000ms;
    QRandomGenerator random(42);

    milliseconds largestFirst {0};
    milliseconds largestFifth {0};
    for (int i = 0; i < 500; ++i) {
        largestFirst = std::max(largestFirst, Backoff::delay(policy, 1, std::nullopt, &random));
        largestFifth = std::max(largestFifth, Backoff::delay(policy, 5, std::nullopt, &random));
    }

    EXPECT_LE(largestFirst, 100ms);
    EXPECT_GT(largestFirst, 50ms);
    EXPECT_LE(largestFifth, 1000ms);
    EXPECT_GT(largestFifth, 500ms);
}

TEST(Backoff, ManyFailuresDoNotOverflow)
{
    RetryPolicy policy;
    policy.baseDelay = 500ms;
    policy.maxDelay = 30s;

    const milliseconds delay = Backoff::delay(policy, 1000, std::nullopt);

    EXPECT_GE(delay, 0ms);
    EXPECT_LE(delay, 30s);
}

TEST(Backoff, RetryAfterIsHonouredAndCapped)
{
    RetryPolicy policy;
    policy.maxDelay = 10s;

    const milliseconds honoured = Backoff::delay(policy, 1, milliseconds(3000));
    const milliseconds capped = Backoff::delay(policy, 1, milliseconds(60000));

    EXPECT_EQ(honoured, 3s);
    EXPECT_EQ(capped, 10s);
}

TEST(Backoff, ParsesRetryAfterSeconds)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();

    EXPECT_EQ(Backoff::parseRetryAfter("1", now), milliseconds(1000));
    EXPECT_EQ(Backoff::parseRetryAfter(" 120 ", now), milliseconds(120000));
    EXPECT_EQ(Backoff::parseRetryAfter("1.5", now), milliseconds(1500));
    EXPECT_FALSE(Backoff::parseRetryAfter("", now).has_value());
    EXPECT_FALSE(Backoff::parseRetryAfter("soon", now).has_value());
    EXPECT_FALSE(Backoff::parseRetryAfter("-3", now).has_value());
}

TEST(Backoff, ParsesRetryAfterHttpDate)
{
    const QDateTime now(QDate(2015, 10, 21), QTime(7, 27, 30), QTimeZone::utc());

    const auto future = Backoff::parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now);
    const auto past = Backoff::parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now);

    ASSERT_TRUE(future.has_value());
    EXPECT_EQ(*future, milliseconds(30000));
    ASSERT_TRUE(past.has_value());
    EXPECT_EQ(*past, milliseconds(0));
}

TEST(Backoff, ParsesRetryAfterMilliseconds)
{
    EXPECT_EQ(Backoff::parseRetryAfterMs("250"), milliseconds(250));
    EXPECT_FALSE(Backoff::parseRetryAfterMs("").has_value());
}
