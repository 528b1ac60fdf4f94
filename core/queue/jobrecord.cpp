#include "core/queue/jobrecord.h"

#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace {

// A span between two timestamps, or null while either end is unknown.
QJsonValue spanMs(qint64 from, qint64 to)
{
    if (from <= 0 || to <= 0) {
        return QJsonValue::Null;
    }
    return to - from;
}

} // namespace

QJsonObject chatErrorToJson(const ChatError &error)
{
    QJsonObject object {
        {u"kind"_s, errorKindName(error.kind)},
        {u"message"_s, error.message},
        {u"http_status"_s, error.httpStatus > 0 ? QJsonValue(error.httpStatus) : QJsonValue()},
    };
    return object;
}

ChatError chatErrorFromJson(const QJsonObject &object)
{
    const ErrorKind kind = errorKindFromName(object.value(u"kind"_s).toString())
                                   .value_or(ErrorKind::Protocol);
    return ChatError::make(kind,
                           object.value(u"message"_s).toString(),
                           object.value(u"http_status"_s).toInt());
}

QJsonObject JobRecord::toResultJson() const
{
    const qint64 end = finishedAtMs;
    QJsonObject timings {
        {u"queued_ms"_s, spanMs(submittedAtMs, startedAtMs)},
        {u"first_token_ms"_s, spanMs(startedAtMs, firstTokenAtMs)},
        {u"total_ms"_s, spanMs(submittedAtMs, end)},
    };

    QJsonObject object {
        {u"id"_s, id},
        {u"status"_s, jobStatusName(status)},
        {u"content"_s, content},
        {u"reasoning"_s, reasoning},
        {u"finish_reason"_s, finishReason.isEmpty() ? QJsonValue() : QJsonValue(finishReason)},
        {u"usage"_s, usage.known ? QJsonValue(usage.toJson()) : QJsonValue()},
        {u"error"_s, error ? QJsonValue(chatErrorToJson(*error)) : QJsonValue()},
        {u"timings"_s, timings},
    };
    if (!toolCalls.isEmpty()) {
        object.insert(u"tool_calls"_s, toolCallsToJson(toolCalls));
    }
    return object;
}

QJsonObject JobRecord::toJson() const
{
    QJsonObject object = toResultJson();
    object.insert(u"v"_s, 1);
    object.insert(u"attempts"_s, attempts);
    object.insert(u"worker"_s, worker.isEmpty() ? QJsonValue() : QJsonValue(worker));
    object.insert(u"request"_s, request.toJson());
    object.insert(u"submitted_at"_s, submittedAtMs);
    object.insert(u"started_at"_s, startedAtMs);
    object.insert(u"first_token_at"_s, firstTokenAtMs);
    object.insert(u"first_content_at"_s, firstContentAtMs);
    object.insert(u"finished_at"_s, finishedAtMs);
    return object;
}

std::optional<JobRecord> JobRecord::fromJson(const QJsonObject &object)
{
    const std::optional<JobStatus> status = jobStatusFromName(object.value(u"status"_s).toString());
    const QString id = object.value(u"id"_s).toString();
    if (!status || id.isEmpty()) {
        return std::nullopt;
    }

    JobRecord record;
    record.id = id;
    record.status = *status;
    record.request = ChatRequest::fromJson(object.value(u"request"_s).toObject());
    record.attempts = object.value(u"attempts"_s).toInt();
    record.worker = object.value(u"worker"_s).toString();
    record.content = object.value(u"content"_s).toString();
    record.reasoning = object.value(u"reasoning"_s).toString();
    record.finishReason = object.value(u"finish_reason"_s).toString();
    record.usage = Usage::fromJson(object.value(u"usage"_s).toObject());
    record.toolCalls = toolCallsFromJson(object.value(u"tool_calls"_s).toArray());
    if (object.value(u"error"_s).isObject()) {
        record.error = chatErrorFromJson(object.value(u"error"_s).toObject());
    }

    record.submittedAtMs = object.value(u"submitted_at"_s).toInteger();
    record.startedAtMs = object.value(u"started_at"_s).toInteger();
    record.firstTokenAtMs = object.value(u"first_token_at"_s).toInteger();
    record.firstContentAtMs = object.value(u"first_content_at"_s).toInteger();
    record.finishedAtMs = object.value(u"finished_at"_s).toInteger();
    return record;
}
