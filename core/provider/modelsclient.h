#pragma once

#include "core/chat/chaterror.h"
#include "core/provider/providerprofile.h"
#include "core/util/result.h"

#include <QCoroTask>
#include <QStringList>

class QNetworkAccessManager;

// Lists the models of an OpenAI-compatible provider: GET {baseUrl}/models.
class ModelsClient
{
public:
    // The ids of {"data": [{"id": …}, …]}, sorted; or the error, classified like a chat
    // request's (auth, not_found, network, timeout…). The whole exchange is bounded by
    // profile.timeouts.connect + profile.timeouts.firstByte (30 s when both are off).
    static QCoro::Task<Result<QStringList, ChatError>> list(QNetworkAccessManager *network,
                                                            ProviderProfile profile);

    // The model ids of a /models body; an error when it is not such a list.
    static Result<QStringList, ChatError> parse(const QByteArray &body);
};
