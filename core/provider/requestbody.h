#pragma once

#include "core/chat/chatrequest.h"
#include "core/provider/providerprofile.h"

#include <QByteArray>
#include <QJsonObject>

// The JSON body of POST {base}/chat/completions for one request as one profile wants it.
class RequestBody
{
public:
    // ChatRequest::toProviderBody() with the profile's choices: usage in the stream
    // (includeUsage), and, only when the profile's sendReasoning is on, the reasoning of each
    // earlier assistant turn as its `reasoning_content`. Without that flag no message carries
    // reasoning, whatever the request holds.
    static QJsonObject make(const ChatRequest &request, const ProviderProfile &profile);

    // make() as compact JSON text.
    static QByteArray toJson(const ChatRequest &request, const ProviderProfile &profile);
};
