#pragma once

#include "core/chat/chatrequest.h"

#include <QJsonObject>
#include <QString>

#include <optional>

// What one conversation is sent with: the provider profile and model, a system prompt and
// the sampling parameters. Stored with the conversation, so reopening it sends as before.
struct ConversationSettings
{
    QString profile = QStringLiteral("default");
    QString model;
    QString systemPrompt;
    std::optional<double> temperature;
    std::optional<int> maxTokens;
    QString reasoningEffort; // "low", "medium", "high" or empty for the provider's default

    // The parameters part, as the history stores it: {temperature, max_tokens,
    // reasoning_effort}, each present only when set.
    QJsonObject parametersJson() const;
    void readParameters(const QJsonObject &parameters);

    // Sets the request's profile, model and parameters (not its messages).
    void applyTo(ChatRequest &request) const;

    friend bool operator==(const ConversationSettings &, const ConversationSettings &) = default;
};
