#pragma once

#include <QString>
#include <QUrl>
#include <QtGlobal>

#include <chrono>

// Limits on how long a stream may stay silent. Zero disables a limit. There is no total
// limit by default: reasoning models can think for many minutes before and while answering.
struct StreamTimeouts
{
    std::chrono::milliseconds connect {std::chrono::seconds(15)};
    std::chrono::milliseconds firstByte {std::chrono::minutes(5)};
    std::chrono::milliseconds idle {std::chrono::minutes(2)};
    std::chrono::milliseconds total {0};
};

// How often and how patiently a failed request is tried again. Only failures that happen
// before the first token are retried, so a user never sees an answer start twice.
struct RetryPolicy
{
    int maxAttempts = 4;
    std::chrono::milliseconds baseDelay {500};
    std::chrono::milliseconds maxDelay {std::chrono::seconds(30)};
};

// How requests of a profile reach the network. `System` leaves the choice to the
// application-wide proxy (QNetworkProxyFactory::setUseSystemConfiguration), which never
// proxies loopback addresses; the other kinds apply to every host of the profile.
struct ProxySettings
{
    enum class Type {
        System,
        None,
        Http,
        Socks5,
    };

    Type type = Type::System;
    QString host;
    quint16 port = 0;
    QString user;
    QString password; // from the keychain; never written to a settings file or a log

    friend bool operator==(const ProxySettings &, const ProxySettings &) = default;
};

// A provider endpoint as one worker resolved it: where to send requests and with which key.
// Lives only in the worker's memory; never serialised onto the queue.
struct ProviderProfile
{
    QString name = QStringLiteral("default");
    QUrl baseUrl; // e.g. https://api.openai.com/v1; chat/completions is appended
    QString apiKey; // empty: no Authorization header

    // Azure OpenAI sends the key as "api-key: …" instead of a bearer token.
    QString apiKeyHeader;
    QString apiVersion; // appended as ?api-version= when set (Azure)

    bool includeUsage = true; // stream_options.include_usage

    // Whether earlier assistant turns carry their reasoning as `reasoning_content`. Off by
    // default: most providers ignore it and some (DeepSeek's reasoner) refuse it with a 400.
    bool sendReasoning = false;

    ProxySettings proxy;

    // Shared limits of this profile across every worker of a queue; 0 means no limit.
    int maxConcurrent = 0;
    int maxPerMinute = 0;

    StreamTimeouts timeouts;
    RetryPolicy retry;
};
