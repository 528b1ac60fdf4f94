#pragma once

#include <QJsonObject>
#include <QString>

// One turn of a conversation as sent to the provider.
struct ChatMessage
{
    QString role; // "system", "user", "assistant" or "tool"
    QString content;

    // Reasoning of an earlier assistant turn; sent back only where a profile asks for it.
    QString reasoning;

    QJsonObject toJson() const;
    static ChatMessage fromJson(const QJsonObject &object);

    friend bool operator==(const ChatMessage &, const ChatMessage &) = default;
};
