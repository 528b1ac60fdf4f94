#pragma once

#include "core/chat/chaterror.h"
#include "core/chat/chatreply.h"
#include "core/queue/jobstatus.h"

#include <QJsonObject>
#include <QString>

#include <optional>

// One entry of a job's event log. Readers apply deltas in order; a `reset` means a new
// attempt starts over, so everything from earlier attempts is discarded.
struct JobEvent
{
    enum class Type {
        Delta,  // text, reasoning, tool-call fragments, usage or finish reason
        Reset,  // attempt `attempt` starts from nothing
        Status, // the job moved to `status` (queued, running)
        Error,  // an attempt failed with `error`; the job may still be retried
        Done,   // the job ended with `status`; the record holds the result
    };

    // Position in the log, opaque and ordered; readEvents() continues after it.
    QString id;
    Type type = Type::Delta;
    int attempt = 0;
    ChatDelta delta;
    JobStatus status = JobStatus::Queued;
    std::optional<ChatError> error;

    static JobEvent makeDelta(int attempt, ChatDelta delta);
    static JobEvent makeReset(int attempt);
    static JobEvent makeStatus(int attempt, JobStatus status);
    static JobEvent makeError(int attempt, ChatError error);
    static JobEvent makeDone(int attempt, JobStatus status, std::optional<ChatError> error);

    // The payload as the wire format stores it (docs/wire-format.md), without the id.
    QJsonObject toJson() const;
    static std::optional<JobEvent> fromJson(const QJsonObject &object);
};

QString jobEventTypeName(JobEvent::Type type);
