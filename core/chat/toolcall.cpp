#include "core/chat/toolcall.h"

using namespace Qt::StringLiterals;

QJsonObject ToolCall::toJson() const
{
    return {
        {u"index"_s, index},
        {u"id"_s, id},
        {u"type"_s, type},
        {u"name"_s, name},
        {u"arguments"_s, arguments},
    };
}

ToolCall ToolCall::fromJson(const QJsonObject &object)
{
    ToolCall call;
    call.index = object.value(u"index"_s).toInt();
    call.id = object.value(u"id"_s).toString();
    call.type = object.value(u"type"_s).toString();
    call.name = object.value(u"name"_s).toString();
    call.arguments = object.value(u"arguments"_s).toString();
    return call;
}

QJsonArray toolCallsToJson(const QList<ToolCall> &calls)
{
    QJsonArray array;
    for (const ToolCall &call : calls) {
        array.append(call.toJson());
    }
    return array;
}

QList<ToolCall> toolCallsFromJson(const QJsonArray &array)
{
    QList<ToolCall> calls;
    for (const QJsonValue &value : array) {
        calls.append(ToolCall::fromJson(value.toObject()));
    }
    return calls;
}
