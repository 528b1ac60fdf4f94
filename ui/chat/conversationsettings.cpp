#include "ui/chat/conversationsettings.h"

using namespace Qt::StringLiterals;

QJsonObject ConversationSettings::parametersJson() const
{
    QJsonObject object;
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

void ConversationSettings::readParameters(const QJsonObject &parameters)
{
    // A stored value of the wrong type is dropped rather than sent.
    const QJsonValue temperatureValue = parameters.value(u"temperature"_s);
    temperature =
            temperatureValue.isDouble() ? std::optional(temperatureValue.toDouble()) : std::nullopt;
    const QJsonValue maxTokensValue = parameters.value(u"max_tokens"_s);
    maxTokens = maxTokensValue.isDouble() && maxTokensValue.toInt() > 0
                        ? std::optional(maxTokensValue.toInt())
                        : std::nullopt;
    reasoningEffort = parameters.value(u"reasoning_effort"_s).toString();
}

void ConversationSettings::applyTo(ChatRequest &request) const
{
    request.profile = profile;
    request.model = model;
    request.temperature = temperature;
    request.maxTokens = maxTokens;
    request.reasoningEffort = reasoningEffort;
}
