#include "ui/chat/conversationsettings.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace {

// The request fields a conversation keeps as its parameters.
const QStringList kParameterKeys{u"temperature"_s, u"max_tokens"_s, u"reasoning_effort"_s};

} // namespace

QJsonObject ConversationSettings::parametersJson() const
{
    // The queue's own representation of a request, so both read and write them alike.
    ChatRequest request;
    applyTo(request);
    const QJsonObject whole = request.toJson();
    QJsonObject parameters;
    for (const QString &key : kParameterKeys) {
        if (whole.contains(key)) {
            parameters.insert(key, whole.value(key));
        }
    }
    return parameters;
}

void ConversationSettings::readParameters(const QJsonObject &parameters)
{
    // A stored value of the wrong type is dropped rather than sent.
    const ChatRequest request = ChatRequest::fromJson(parameters);
    temperature = request.temperature;
    maxTokens = request.maxTokens;
    reasoningEffort = request.reasoningEffort;
}

void ConversationSettings::applyTo(ChatRequest &request) const
{
    request.profile = profile;
    request.model = model;
    request.temperature = temperature;
    request.maxTokens = maxTokens;
    request.reasoningEffort = reasoningEffort;
}
