#pragma once

#include "core/chat/chaterror.h"
#include "core/chat/chatrequest.h"
#include "core/chat/toolcall.h"
#include "core/chat/usage.h"
#include "core/queue/jobstatus.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// Everything known about one job: what it asked for, where it is, and, once it ends, the
// answer or the error. Times are milliseconds since the Unix epoch, 0 while unknown.
struct JobRecord
{
    QString id;
    JobStatus status = JobStatus::Queued;
    ChatRequest request;
    int attempts = 0;
    QString worker;

    QString content;
    QString reasoning;
    QString finishReason;
    Usage usage;
    QList<ToolCall> toolCalls;
    std::optional<ChatError> error;

    qint64 submittedAtMs = 0;
    qint64 startedAtMs = 0;
    qint64 firstTokenAtMs = 0;
    qint64 firstContentAtMs = 0; // the answer's first text, after any reasoning
    qint64 finishedAtMs = 0;

    // The object `chatq ask --json` prints (docs/chatq-json.md): id, status, content,
    // reasoning, finish_reason, usage, error, timings.
    QJsonObject toResultJson() const;

    // The result object plus attempts, worker, request and raw timestamps: how the queue
    // stores a record and what `chatq status` prints.
    QJsonObject toJson() const;
    static std::optional<JobRecord> fromJson(const QJsonObject &object);
};

QJsonObject chatErrorToJson(const ChatError &error);
ChatError chatErrorFromJson(const QJsonObject &object);
