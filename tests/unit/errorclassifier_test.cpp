#include "core/provider/errorclassifier.h"
#include "tests/support/fixtures.h"

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// Readable QStrings in failure messages.
void PrintTo(const QString &text, std::ostream *out)
{
    *out << '"' << text.toStdString() << '"';
}

TEST(ErrorClassifier, OpenAiInvalidKeyIsAuthWithTheProviderMessage)
{
    const QByteArray body = fixtures::read(u"openai-401-invalid-api-key.json"_s);

    const ChatError error = ErrorClassifier::fromHttpStatus(401, body);

    EXPECT_EQ(error.kind, ErrorKind::Auth);
    EXPECT_EQ(error.httpStatus, 401);
    EXPECT_FALSE(error.retryable);
    EXPECT_TRUE(error.message.startsWith(u"Incorrect API key provided"_s))
            << qPrintable(error.message);
}

TEST(ErrorClassifier, ForbiddenIsAuth)
{
    const ChatError error = ErrorClassifier::fromHttpStatus(403, "Forbidden");

    EXPECT_EQ(error.kind, ErrorKind::Auth);
    EXPECT_EQ(error.message, u"Forbidden"_s);
}

TEST(ErrorClassifier, OpenAiUnsupportedValueIsBadRequest)
{
    const QByteArray body = fixtures::read(u"openai-400-unsupported-value.json"_s);

    const ChatError error = ErrorClassifier::fromHttpStatus(400, body);

    EXPECT_EQ(error.kind, ErrorKind::BadRequest);
    EXPECT_FALSE(error.retryable);
    EXPECT_TRUE(error.message.contains(u"does not support 'system'"_s))
            << qPrintable(error.message);
}

TEST(ErrorClassifier, GroqUnknownModelIsNotFound)
{
    const QByteArray body = fixtures::read(u"groq-404-model-not-found.json"_s);

    const ChatError error = ErrorClassifier::fromHttpStatus(404, body);

    EXPECT_EQ(error.kind, ErrorKind::NotFound);
    EXPECT_FALSE(error.retryable);
    EXPECT_TRUE(error.message.contains(u"llama-3.3-70b-versatlie"_s)) << qPrintable(error.message);
}

TEST(ErrorClassifier, OpenRouterUpstreamRateLimitKeepsTheRawUpstreamText)
{
    const QByteArray body = fixtures::read(u"openrouter-429-upstream-rate-limited.json"_s);

    const ChatError error = ErrorClassifier::fromHttpStatus(429, body, 2s);

    EXPECT_EQ(error.kind, ErrorKind::RateLimit);
    EXPECT_TRUE(error.retryable);
    ASSERT_TRUE(error.retryAfter.has_value());
    EXPECT_EQ(*error.retryAfter, 2s);
    EXPECT_TRUE(error.message.contains(u"temporarily rate-limited upstream"_s))
            << qPrintable(error.message);
}

TEST(ErrorClassifier, InsufficientQuotaOn429IsQuota)
{
    const QByteArray body = R"({"error":{"message":"You exceeded your current quota, please
check your plan and billing details.","type":"insufficient_quota","param":null,
"code":"insufficient_quota"}})";

    const ChatError error = ErrorClassifier::fromHttpStatus(429, body);

    EXPECT_EQ(error.kind, ErrorKind::Quota);
    EXPECT_FALSE(error.retryable);
}

TEST(ErrorClassifier, PaymentRequiredIsQuota)
{
    const QByteArray body = R"({"error":{"code":402,"message":"Insufficient credits"}})";

    const ChatError error = ErrorClassifier::fromHttpStatus(402, body);

    EXPECT_EQ(error.kind, ErrorKind::Quota);
    EXPECT_EQ(error.message, u"Insufficient credits"_s);
}

TEST(ErrorClassifier, ContextLengthExceededIsItsOwnKind)
{
    const QByteArray openAi = R"({"error":{"message":"This model's maximum context length is
8192 tokens. However, your messages resulted in 9000 tokens.","type":"invalid_request_error",
"code":"context_length_exceeded"}})";
    const QByteArray plain = "Input validation error: too many tokens in the prompt";

    const ChatError fromOpenAi = ErrorClassifier::fromHttpStatus(400, openAi);
    const ChatError fromPlain = ErrorClassifier::fromHttpStatus(400, plain);

    EXPECT_EQ(fromOpenAi.kind, ErrorKind::ContextLength);
    EXPECT_EQ(fromPlain.kind, ErrorKind::ContextLength);
    EXPECT_FALSE(fromOpenAi.retryable);
}

TEST(ErrorClassifier, ServerErrorsAreRetryable)
{
    const ChatError internal = ErrorClassifier::fromHttpStatus(500, "");
    const ChatError unavailable = ErrorClassifier::fromHttpStatus(503, "upstream connect error");

    EXPECT_EQ(internal.kind, ErrorKind::Server);
    EXPECT_TRUE(internal.retryable);
    EXPECT_TRUE(internal.message.contains(u"500"_s)) << qPrintable(internal.message);
    EXPECT_EQ(unavailable.kind, ErrorKind::Server);
    EXPECT_EQ(unavailable.message, u"upstream connect error"_s);
}

TEST(ErrorClassifier, OtherShapesOfErrorBodies)
{
    const QByteArray ollama = R"({"error":"model 'llama9' not found, try pulling it first"})";
    const QByteArray fastApi = R"({"detail":"Not authenticated"})";
    const QByteArray gemini = R"([{"error":{"code":400,"message":"API key not valid.",
"status":"INVALID_ARGUMENT"}}])";

    EXPECT_EQ(ErrorClassifier::providerMessage(ollama),
              u"model 'llama9' not found, try pulling it first"_s);
    EXPECT_EQ(ErrorClassifier::providerMessage(fastApi), u"Not authenticated"_s);
    EXPECT_EQ(ErrorClassifier::providerMessage(gemini), u"API key not valid."_s);
}

TEST(ErrorClassifier, HtmlPageIsQuotedByItsTitle)
{
    const QByteArray page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
                            "<body><center>nginx</center></body></html>";

    const ChatError error = ErrorClassifier::fromHttpStatus(502, page);

    EXPECT_EQ(error.kind, ErrorKind::Server);
    EXPECT_EQ(error.message, u"an HTML page: 502 Bad Gateway"_s);
}

TEST(ErrorClassifier, LongPlainTextIsShortened)
{
    const QByteArray body(5000, 'x');

    const QString message = ErrorClassifier::providerMessage(body);

    EXPECT_LT(message.size(), 600);
    EXPECT_TRUE(message.startsWith(u"xxxx"_s));
}

TEST(ErrorClassifier, InBandErrorObjectWithoutStatus)
{
    const QJsonObject overloaded {{u"message"_s, u"Overloaded"_s}, {u"type"_s, u"server_error"_s}};
    const QJsonObject withCode {{u"message"_s, u"Rate limit exceeded"_s}, {u"code"_s, 429}};

    const ChatError first = ErrorClassifier::fromErrorObject(overloaded);
    const ChatError second = ErrorClassifier::fromErrorObject(withCode);

    EXPECT_EQ(first.kind, ErrorKind::Server);
    EXPECT_EQ(first.message, u"Overloaded"_s);
    EXPECT_EQ(second.kind, ErrorKind::RateLimit);
    EXPECT_EQ(second.httpStatus, 0);
}

TEST(ErrorClassifier, NetworkErrors)
{
    const ChatError refused = ErrorClassifier::fromNetworkError(
            QNetworkReply::ConnectionRefusedError, u"Connection refused"_s);
    const ChatError unknownHost = ErrorClassifier::fromNetworkError(
            QNetworkReply::HostNotFoundError, u"Host not found"_s);
    const ChatError tls = ErrorClassifier::fromNetworkError(QNetworkReply::SslHandshakeFailedError,
                                                            u"TLS handshake failed"_s);
    const ChatError timeout = ErrorClassifier::fromNetworkError(QNetworkReply::TimeoutError,
                                                                u"timed out"_s);

    EXPECT_EQ(refused.kind, ErrorKind::Network);
    EXPECT_TRUE(refused.retryable);
    EXPECT_EQ(unknownHost.kind, ErrorKind::Network);
    EXPECT_EQ(tls.kind, ErrorKind::Network);
    EXPECT_EQ(timeout.kind, ErrorKind::Timeout);
    EXPECT_EQ(refused.message, u"Connection refused"_s);
}
