#include "core/chat/chatrequest.h"

#include <QJsonArray>
#include <QStringList>

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

QString ChatRequest::problemWith(const QJsonObject &object)
{
    static const QStringList roles {u"system"_s, u"developer"_s, u"user"_s, u"assistant"_s,
                                    u"tool"_s};

    const QJsonValue model = object.value(u"model"_s);
    if (!model.isString() || model.toString().trimmed().isEmpty()) {
        return u"the request names no model"_s;
    }
    const QJsonValue profile = object.value(u"profile"_s);
    if (!profile.isUndefined() && !profile.isString()) {
        return u"\"profile\" is not a string"_s;
    }

    const QJsonArray messages = object.value(u"messages"_s).toArray();
    if (messages.isEmpty()) {
        return u"the request has no messages"_s;
    }
    for (const QJsonValue &value : messages) {
        const QJsonObject message = value.toObject();
        if (!roles.contains(message.value(u"role"_s).toString())) {
            return u"a message has no known role (system, user, assistant, tool)"_s;
        }
        if (!message.value(u"content"_s).isString()) {
            return u"a message's content is not text"_s;
        }
    }

    const QJsonValue temperature = object.value(u"temperature"_s);
    if (!temperature.isUndefined()
        && (!temperature.isDouble() || temperature.toDouble() < 0.0
            || temperature.toDouble() > 2.0)) {
        return u"\"temperature\" is not a number from 0 to 2"_s;
    }
    const QJsonValue maxTokens = object.value(u"max_tokens"_s);
    if (!maxTokens.isUndefined() && (!maxTokens.isDouble() || maxTokens.toInteger() <= 0)) {
        return u"\"max_tokens\" is not a positive whole number"_s;
    }
    return QString();
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
