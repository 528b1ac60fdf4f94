#pragma once

#include "core/chat/chatmessage.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// What a job asks for: a conversation, sent to a model through a named provider profile.
// It never holds a secret: the worker resolves the profile to a URL and a key itself.
struct ChatRequest
{
    QString profile = QStringLiteral("default");
    QString model;
    QList<ChatMessage> messages;
    std::optional<double> temperature;
    std::optional<int> maxTokens;
    QString reasoningEffort; // "low", "medium", "high" or empty for the provider's default

    // The queue's representation (see docs/wire-format.md).
    QJsonObject toJson() const;
    static ChatRequest fromJson(const QJsonObject &object);

    // What is wrong with a request read from the queue, or an empty string when nothing is:
    // messages with a known role and text content, a model, and parameters of the right
    // type and range. fromJson() itself accepts anything and fills in defaults.
    static QString problemWith(const QJsonObject &object);

    // The body of POST {base}/chat/completions with streaming on.
    QJsonObject toProviderBody(bool includeUsage = true) const;

    friend bool operator==(const ChatRequest &, const ChatRequest &) = default;
};
