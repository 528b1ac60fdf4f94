#include "core/chat/chatrequest.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

QJsonObject ChatRequest::toJson() const
{
    QJsonArray messageArray;
    for (const ChatMessage &message : messages) {
        messageArray.append(message.toJson());
    }

    QJsonObject object{
            {u"profile"_s, profile},
            {u"model"_s, model},
            {u"messages"_s, messageArray},
    };
    if (temperature) {
        object.insert(u"temperature"_s, *temperature);
    }
    if (maxTokens) {
        object.insert(u"max_tokens"_s, *maxTokens);
    }
    if (!reasoningEffort.isEmpty()) {
        object.insert(u"reasoning_effort"_s, reasoningEffort);
    }
    return object;
}

ChatRequest ChatRequest::fromJson(const QJsonObject &object)
{
    ChatRequest request;
    request.profile = object.value(u"profile"_s).toString(u"default"_s);
    request.model = object.value(u"model"_s).toString();
    const QJsonArray messageArray = object.value(u"messages"_s).toArray();
    for (const QJsonValue &value : messageArray) {
        request.messages.append(ChatMessage::fromJson(value.toObject()));
    }

    const QJsonValue temperature = object.value(u"temperature"_s);
    if (temperature.isDouble()) {
        request.temperature = temperature.toDouble();
    }
    const QJsonValue maxTokens = object.value(u"max_tokens"_s);
    if (maxTokens.isDouble()) {
        request.maxTokens = maxTokens.toInt();
    }
    request.reasoningEffort = object.value(u"reasoning_effort"_s).toString();
    return request;
}

QJsonObject ChatRequest::toProviderBody(bool includeUsage) const
{
    QJsonArray messageArray;
    for (const ChatMessage &message : messages) {
        messageArray.append(
                QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
    }

    QJsonObject body{
            {u"model"_s, model},
            {u"messages"_s, messageArray},
            {u"stream"_s, true},
    };
    if (includeUsage) {
        body.insert(u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}});
    }
    if (temperature) {
        body.insert(u"temperature"_s, *temperature);
    }
    if (maxTokens) {
        body.insert(u"max_tokens"_s, *maxTokens);
    }
    if (!reasoningEffort.isEmpty()) {
        body.insert(u"reasoning_effort"_s, reasoningEffort);
    }
    return body;
}
