#include "core/queue/jobevent.h"

#include "core/queue/jobrecord.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

constexpr std::array kTypeNames {
    std::pair {JobEvent::Type::Delta, "delta"},
    std::pair {JobEvent::Type::Reset, "reset"},
    std::pair {JobEvent::Type::Status, "status"},
    std::pair {JobEvent::Type::Error, "error"},
    std::pair {JobEvent::Type::Done, "done"},
};

std::optional<JobEvent::Type> typeFromName(const QString &name)
{
    for (const auto &[type, typeName] : kTypeNames) {
        if (name == QLatin1StringView(typeName)) {
            return type;
        }
    }
    return std::nullopt;
}

} // namespace

QString jobEventTypeName(JobEvent::Type type)
{
    for (const auto &[t, name] : kTypeNames) {
        if (t == type) {
            return QString::fromLatin1(name);
        }
    }
    return QString();
}

JobEvent JobEvent::makeDelta(int attempt, ChatDelta delta)
{
    JobEvent event;
    event.type = Type::Delta;
    event.attempt = attempt;
    event.delta = std::move(delta);
    return event;
}

JobEvent JobEvent::makeReset(int attempt)
{
    JobEvent event;
    event.type = Type::Reset;
    event.attempt = attempt;
    return event;
}

JobEvent JobEvent::makeStatus(int attempt, JobStatus status)
{
    JobEvent event;
    event.type = Type::Status;
    event.attempt = attempt;
    event.status = status;
    return event;
}

JobEvent JobEvent::makeError(int attempt, ChatError error)
{
    JobEvent event;
    event.type = Type::Error;
    event.attempt = attempt;
    event.error = std::move(error);
    return event;
}

JobEvent JobEvent::makeDone(int attempt, JobStatus status, std::optional<ChatError> error)
{
    JobEvent event;
    event.type = Type::Done;
    event.attempt = attempt;
    event.status = status;
    event.error = std::move(error);
    return event;
}

QJsonObject JobEvent::toJson() const
{
    QJsonObject object {
        {u"v"_s, 1},
        {u"type"_s, jobEventTypeName(type)},
        {u"attempt"_s, attempt},
    };

    switch (type) {
    case Type::Delta:
        if (!delta.content.isEmpty()) {
            object.insert(u"content"_s, delta.content);
        }
        if (!delta.reasoning.isEmpty()) {
            object.insert(u"reasoning"_s, delta.reasoning);
        }
        if (!delta.refusal.isEmpty()) {
            object.insert(u"refusal"_s, delta.refusal);
        }
        if (!delta.toolCallFragments.isEmpty()) {
            object.insert(u"tool_calls"_s, toolCallsToJson(delta.toolCallFragments));
        }
        if (delta.usage.known) {
            object.insert(u"usage"_s, delta.usage.toJson());
        }
        if (!delta.finishReason.isEmpty()) {
            object.insert(u"finish_reason"_s, delta.finishReason);
        }
        break;
    case Type::Reset:
        break;
    case Type::Status:
    case Type::Done:
        object.insert(u"status"_s, jobStatusName(status));
        break;
    case Type::Error:
        break;
    }

    if (error) {
        object.insert(u"error"_s, chatErrorToJson(*error));
    }
    return object;
}

std::optional<JobEvent> JobEvent::fromJson(const QJsonObject &object)
{
    const std::optional<Type> type = typeFromName(object.value(u"type"_s).toString());
    if (!type || object.value(u"v"_s).toInt() != 1) {
        return std::nullopt;
    }

    JobEvent event;
    event.type = *type;
    event.attempt = object.value(u"attempt"_s).toInt();
    event.delta.content = object.value(u"content"_s).toString();
    event.delta.reasoning = object.value(u"reasoning"_s).toString();
    event.delta.refusal = object.value(u"refusal"_s).toString();
    event.delta.toolCallFragments = toolCallsFromJson(object.value(u"tool_calls"_s).toArray());
    event.delta.usage = Usage::fromJson(object.value(u"usage"_s).toObject());
    event.delta.finishReason = object.value(u"finish_reason"_s).toString();
    event.status = jobStatusFromName(object.value(u"status"_s).toString())
                           .value_or(JobStatus::Queued);
    if (object.value(u"error"_s).isObject()) {
        event.error = chatErrorFromJson(object.value(u"error"_s).toObject());
    }
    return event;
}
