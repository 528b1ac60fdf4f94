#include "core/provider/requestbody.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

QJsonObject RequestBody::make(const ChatRequest &request, const ProviderProfile &profile)
{
    QJsonObject body = request.toProviderBody(profile.includeUsage);
    if (!profile.sendReasoning) {
        return body;
    }

    // toProviderBody() writes one entry per message, in order, so indexes match.
    QJsonArray messages = body.value(u"messages"_s).toArray();
    for (qsizetype i = 0; i < request.messages.size() && i < messages.size(); ++i) {
        const ChatMessage &message = request.messages.at(i);
        if (message.role != u"assistant"_s || message.reasoning.isEmpty()) {
            continue;
        }
        QJsonObject entry = messages.at(i).toObject();
        entry.insert(u"reasoning_content"_s, message.reasoning);
        messages.replace(i, entry);
    }
    body.insert(u"messages"_s, messages);
    return body;
}

QByteArray RequestBody::toJson(const ChatRequest &request, const ProviderProfile &profile)
{
    return QJsonDocument(make(request, profile)).toJson(QJsonDocument::Compact);
}
