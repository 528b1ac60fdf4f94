#include "core/chat/chatmessage.h"

using namespace Qt::StringLiterals;

QJsonObject ChatMessage::toJson() const
{
    QJsonObject object {{u"role"_s, role}, {u"content"_s, content}};
    if (!reasoning.isEmpty()) {
        object.insert(u"reasoning"_s, reasoning);
    }
    return object;
}

ChatMessage ChatMessage::fromJson(const QJsonObject &object)
{
    ChatMessage message;
    message.role = object.value(u"role"_s).toString();
    message.content = object.value(u"content"_s).toString();
    message.reasoning = object.value(u"reasoning"_s).toString();
    return message;
}
