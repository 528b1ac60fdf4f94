#include "core/chat/usage.h"

using namespace Qt::StringLiterals;

Usage Usage::fromJson(const QJsonObject &object)
{
    Usage usage;
    const QJsonValue prompt = object.value(u"prompt_tokens"_s);
    const QJsonValue completion = object.value(u"completion_tokens"_s);
    const QJsonValue total = object.value(u"total_tokens"_s);
    if (!prompt.isDouble() && !completion.isDouble() && !total.isDouble()) {
        return usage;
    }

    usage.known = true;
    usage.promptTokens = prompt.toInteger();
    usage.completionTokens = completion.toInteger();
    usage.totalTokens = total.isDouble() ? total.toInteger()
                                         : usage.promptTokens + usage.completionTokens;
    return usage;
}

QJsonObject Usage::toJson() const
{
    return {
        {u"prompt_tokens"_s, promptTokens},
        {u"completion_tokens"_s, completionTokens},
        {u"total_tokens"_s, totalTokens},
    };
}
