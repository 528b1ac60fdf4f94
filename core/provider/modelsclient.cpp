#include "core/provider/modelsclient.h"

#include "core/provider/errorclassifier.h"
#include "core/provider/providerlog.h"
#include "core/provider/providerrequest.h"

#include <QCoroNetworkReply>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <memory>

using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

namespace {

// A model list is small; a larger answer is not one.
constexpr qint64 kMaxBody = 8 * 1024 * 1024;

struct ReplyDeleter
{
    void operator()(QNetworkReply *reply) const
    {
        if (!reply->isFinished()) {
            reply->abort();
        }
        reply->deleteLater();
    }
};

} // namespace

QCoro::Task<Result<QStringList, ChatError>> ModelsClient::list(QNetworkAccessManager *network,
                                                               ProviderProfile profile)
{
    const QNetworkRequest request = ProviderRequest::make(profile, u"models", false);
    qCInfo(lcProvider).noquote() << "GET" << request.url().host() << request.url().path();

    // Owned from the moment it exists; aborted if this coroutine is destroyed early.
    std::unique_ptr<QNetworkReply, ReplyDeleter> reply(network->get(request));

    milliseconds limit = profile.timeouts.connect + profile.timeouts.firstByte;
    if (limit <= milliseconds(0)) {
        limit = std::chrono::seconds(30);
    }
    const bool finished = co_await qCoro(reply.get()).waitForFinished(limit);
    if (!finished) {
        reply->abort();
        co_return ChatError::make(ErrorKind::Timeout,
                                  QObject::tr("the model list did not arrive within %1 ms")
                                          .arg(limit.count()));
    }

    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
        co_return ErrorClassifier::fromNetworkError(reply->error(), reply->errorString());
    }
    const QByteArray body = reply->read(kMaxBody);
    if (status.toInt() < 200 || status.toInt() > 299) {
        co_return ErrorClassifier::fromHttpStatus(status.toInt(), body);
    }
    co_return parse(body);
}

Result<QStringList, ChatError> ModelsClient::parse(const QByteArray &body)
{
    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonValue data = document.object().value(u"data"_s);
    if (parseError.error != QJsonParseError::NoError || !data.isArray()) {
        return ChatError::make(ErrorKind::Protocol,
                               QObject::tr("expected a model list, but the server sent %1")
                                       .arg(ErrorClassifier::providerMessage(body)));
    }

    QStringList ids;
    for (const QJsonValue &model : data.toArray()) {
        const QString id = model.toObject().value(u"id"_s).toString();
        if (!id.isEmpty()) {
            ids.append(id);
        }
    }
    ids.sort();
    ids.removeDuplicates();
    return ids;
}
