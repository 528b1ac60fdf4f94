#include "core/redis/redisurl.h"

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

TEST(RedisUrl, ParsesUserPasswordHostPortAndDatabase)
{
    const QString text = u"redis://alice:s3cret@redis.example:6380/2"_s;

    const auto url = RedisUrl::parse(text);

    ASSERT_TRUE(url.ok()) << url.error().toStdString();
    EXPECT_FALSE(url->tls);
    EXPECT_EQ(url->user, u"alice"_s);
    EXPECT_EQ(url->password, u"s3cret"_s);
    EXPECT_EQ(url->host, u"redis.example"_s);
    EXPECT_EQ(url->port, 6380);
    EXPECT_EQ(url->db, 2);
}

TEST(RedisUrl, AppliesDefaults)
{
    const auto url = RedisUrl::parse(u"redis://localhost"_s);

    ASSERT_TRUE(url.ok());
    EXPECT_EQ(url->port, 6379);
    EXPECT_EQ(url->db, 0);
    EXPECT_TRUE(url->user.isEmpty());
    EXPECT_TRUE(url->password.isEmpty());
    EXPECT_EQ(url->prefix, QByteArray("chatqueue:"));
    EXPECT_EQ(url->lease, 30s);
    EXPECT_EQ(url->ttl, 24h);
    EXPECT_FALSE(url->insecure);
}

TEST(RedisUrl, TakesPasswordWithoutUser)
{
    const auto withColon = RedisUrl::parse(u"redis://:hunter2@127.0.0.1:7000"_s);
    const auto withoutColon = RedisUrl::parse(u"redis://hunter2@127.0.0.1:7000"_s);

    ASSERT_TRUE(withColon.ok());
    ASSERT_TRUE(withoutColon.ok());
    EXPECT_TRUE(withColon->user.isEmpty());
    EXPECT_EQ(withColon->password, u"hunter2"_s);
    EXPECT_TRUE(withoutColon->user.isEmpty());
    EXPECT_EQ(withoutColon->password, u"hunter2"_s);
}

TEST(RedisUrl, DecodesPercentEncodedPassword)
{
    const auto url = RedisUrl::parse(u"redis://bob:p%40ss%3Aw%2Frd@h:1/0"_s);

    ASSERT_TRUE(url.ok());
    EXPECT_EQ(url->password, u"p@ss:w/rd"_s);
}

TEST(RedisUrl, ReadsTlsOptions)
{
    const auto url = RedisUrl::parse(u"rediss://h:6380/0?ca=/etc/ca.pem&insecure=1&prefix=cq:"_s);

    ASSERT_TRUE(url.ok()) << url.error().toStdString();
    EXPECT_TRUE(url->tls);
    EXPECT_EQ(url->caFile, u"/etc/ca.pem"_s);
    EXPECT_TRUE(url->insecure);
    EXPECT_EQ(url->prefix, QByteArray("cq:"));
}

TEST(RedisUrl, ReadsLeaseTtlAndAttempts)
{
    const auto url = RedisUrl::parse(u"redis://h/0?lease=1.5&ttl=60&attempts=3&timeout=2"_s);

    ASSERT_TRUE(url.ok()) << url.error().toStdString();
    EXPECT_EQ(url->lease, 1500ms);
    EXPECT_EQ(url->ttl, 60s);
    EXPECT_EQ(url->maxAttempts, 3);
    EXPECT_EQ(url->timeout, 2s);
}

TEST(RedisUrl, RejectsOtherSchemes)
{
    const auto url = RedisUrl::parse(u"http://localhost:6379"_s);

    ASSERT_FALSE(url.ok());
    EXPECT_TRUE(url.error().contains(u"redis://"_s));
}

TEST(RedisUrl, RejectsUnknownOptions)
{
    const auto url = RedisUrl::parse(u"redis://h/0?insecur=1"_s);

    ASSERT_FALSE(url.ok());
    EXPECT_TRUE(url.error().contains(u"insecur"_s));
}

TEST(RedisUrl, RejectsBadValues)
{
    EXPECT_FALSE(RedisUrl::parse(u"redis://h/zero"_s).ok());
    EXPECT_FALSE(RedisUrl::parse(u"redis://h/0?lease=-1"_s).ok());
    EXPECT_FALSE(RedisUrl::parse(u"redis://h/0?attempts=0"_s).ok());
    EXPECT_FALSE(RedisUrl::parse(u"rediss://h/0?insecure=maybe"_s).ok());
}

TEST(RedisUrl, RejectsTlsOptionsWithoutTls)
{
    const auto url = RedisUrl::parse(u"redis://h/0?insecure=1"_s);

    ASSERT_FALSE(url.ok());
    EXPECT_TRUE(url.error().contains(u"rediss://"_s));
}

TEST(RedisUrl, DescribeLeavesOutThePassword)
{
    const auto url = RedisUrl::parse(u"rediss://alice:topsecret@h.example:6380/3"_s);
    ASSERT_TRUE(url.ok());

    const QString text = url->describe();

    EXPECT_EQ(text, u"rediss://alice@h.example:6380/3"_s);
    EXPECT_FALSE(text.contains(u"topsecret"_s));
}

TEST(RedisUrl, DescribeBracketsIpv6)
{
    const auto url = RedisUrl::parse(u"redis://[::1]:7000"_s);
    ASSERT_TRUE(url.ok());

    EXPECT_EQ(url->describe(), u"redis://[::1]:7000"_s);
}
