// ModelsClient over real HTTP on loopback, against the fake provider.

#include "core/provider/modelsclient.h"
#include "tests/support/fakeprovider.h"

#include <QCoroTask>
#include <QNetworkAccessManager>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace {

ProviderProfile profileFor(const FakeProvider &provider)
{
    ProviderProfile profile;
    profile.baseUrl = provider.baseUrl();
    profile.apiKey = u"sk-models"_s;
    return profile;
}

// QCoro::waitFor needs a default-constructible result; Result has none.
QCoro::Task<std::optional<Result<QStringList, ChatError>>> listModels(const FakeProvider &provider)
{
    QNetworkAccessManager network;
    co_return co_await ModelsClient::list(&network, profileFor(provider));
}

} // namespace

TEST(ModelsClient, ListsTheModelIdsSorted)
{
    FakeProvider provider;
    provider.setModels({u"zeta-1"_s, u"alpha-2"_s, u"mid-3"_s});

    const auto result = *QCoro::waitFor(listModels(provider));

    ASSERT_TRUE(result.ok()) << qPrintable(result.error().toDisplayString());
    EXPECT_EQ(result.value(), (QStringList {u"alpha-2"_s, u"mid-3"_s, u"zeta-1"_s}));
    ASSERT_EQ(provider.requestCount(), 1);
    EXPECT_EQ(provider.requests().first().method, "GET");
    EXPECT_EQ(provider.requests().first().path, u"/v1/models"_s);
    EXPECT_EQ(provider.requests().first().header("Authorization"), "Bearer sk-models");
}

TEST(ModelsClient, RefusedKeyIsAuth)
{
    FakeProvider provider;
    provider.enqueue(
            FakeProvider::Scenario::errorFixture(401, u"openai-401-invalid-api-key.json"_s));

    const auto result = *QCoro::waitFor(listModels(provider));

    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::Auth);
    EXPECT_EQ(result.error().httpStatus, 401);
}

TEST(ModelsClient, AnswerThatIsNotAListIsProtocol)
{
    const auto result = ModelsClient::parse("<html><title>Login</title></html>");

    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::Protocol);
    EXPECT_TRUE(result.error().message.contains(u"Login"_s));
}
