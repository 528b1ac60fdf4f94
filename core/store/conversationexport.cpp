#include "core/store/conversationexport.h"

#include "core/queue/jobstatus.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

const QString kFormat = u"chatqueue.conversation"_s;
constexpr int kVersion = 1;

// `text` with every line behind "> ", as a Markdown quote.
QString quoted(const QString &text)
{
    QStringList lines = text.split(u'\n');
    for (QString &line : lines) {
        line = line.isEmpty() ? u">"_s : u"> "_s + line;
    }
    return lines.join(u'\n');
}

} // namespace

QString ConversationExport::toMarkdown() const
{
    QStringList parts;
    parts.append(u"# "_s + conversation.title.simplified());
    if (!conversation.systemPrompt.trimmed().isEmpty()) {
        parts.append(u"**System**\n\n"_s + quoted(conversation.systemPrompt.trimmed()));
    }

    for (const HistoryMessage &message : messages) {
        const bool isUser = message.role == u"user"_s;
        parts.append(isUser ? u"## User"_s : u"## Assistant"_s);
        if (!message.reasoning.trimmed().isEmpty()) {
            parts.append(u"**Reasoning**\n\n"_s + quoted(message.reasoning.trimmed()));
        }
        parts.append(message.content.trimmed());
    }
    return parts.join(u"\n\n"_s) + u'\n';
}

QByteArray ConversationExport::toJson() const
{
    QJsonArray list;
    for (const HistoryMessage &message : messages) {
        list.append(QJsonObject{
                {u"role"_s, message.role},
                {u"content"_s, message.content},
                {u"reasoning"_s, message.reasoning},
                {u"status"_s, message.status},
                {u"job_id"_s, message.jobId},
                {u"usage"_s, message.usage},
                {u"timings"_s, message.timings},
                {u"created_at_ms"_s, message.createdAtMs},
        });
    }
    const QJsonObject document{
            {u"format"_s, kFormat},
            {u"version"_s, kVersion},
            {u"title"_s, conversation.title},
            {u"created_at_ms"_s, conversation.createdAtMs},
            {u"updated_at_ms"_s, conversation.updatedAtMs},
            {u"pinned"_s, conversation.pinned},
            {u"system_prompt"_s, conversation.systemPrompt},
            {u"model"_s, conversation.model},
            {u"profile"_s, conversation.profile},
            {u"parameters"_s, conversation.parameters},
            {u"messages"_s, list},
    };
    return QJsonDocument(document).toJson(QJsonDocument::Indented);
}

Result<ConversationExport, QString> ConversationExport::fromJson(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return QStringLiteral("This is not a JSON document: %1").arg(error.errorString());
    }
    const QJsonObject root = document.object();
    if (root.value(u"format"_s).toString() != kFormat) {
        return QStringLiteral("This JSON file is not an exported ChatQueue conversation.");
    }
    if (root.value(u"version"_s).toInt() != kVersion) {
        return QStringLiteral("This conversation was exported in version %1 of the format; "
                              "this version of ChatQueue reads version %2.")
                .arg(root.value(u"version"_s).toInt())
                .arg(kVersion);
    }

    ConversationExport result;
    result.conversation.title = root.value(u"title"_s).toString();
    result.conversation.createdAtMs = root.value(u"created_at_ms"_s).toInteger();
    result.conversation.updatedAtMs = root.value(u"updated_at_ms"_s).toInteger();
    result.conversation.pinned = root.value(u"pinned"_s).toBool();
    result.conversation.systemPrompt = root.value(u"system_prompt"_s).toString();
    result.conversation.model = root.value(u"model"_s).toString();
    result.conversation.profile = root.value(u"profile"_s).toString();
    result.conversation.parameters = root.value(u"parameters"_s).toObject();

    const QJsonArray list = root.value(u"messages"_s).toArray();
    for (const QJsonValue &value : list) {
        const QJsonObject object = value.toObject();
        HistoryMessage message;
        message.role = object.value(u"role"_s).toString();
        if (message.role != u"user"_s && message.role != u"assistant"_s) {
            return QStringLiteral("A message has the unknown role \"%1\".").arg(message.role);
        }
        message.content = object.value(u"content"_s).toString();
        message.reasoning = object.value(u"reasoning"_s).toString();
        message.status = object.value(u"status"_s).toString();
        message.jobId = object.value(u"job_id"_s).toString();
        message.usage = object.value(u"usage"_s).toObject();
        message.timings = object.value(u"timings"_s).toObject();
        message.createdAtMs = object.value(u"created_at_ms"_s).toInteger();

        const std::optional<JobStatus> status = jobStatusFromName(message.status);
        if (status && !isFinalStatus(*status)) {
            message.status = jobStatusName(JobStatus::Cancelled);
            message.jobId.clear();
        }
        result.messages.append(message);
    }
    return result;
}
