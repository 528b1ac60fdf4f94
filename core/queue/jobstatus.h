#pragma once

#include <QString>

#include <optional>

// Where a job is in its life. The names are a contract shared with the wire format and
// `chatq --json`: queued, running, succeeded, failed, cancelled.
enum class JobStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
};

QString jobStatusName(JobStatus status);
std::optional<JobStatus> jobStatusFromName(const QString &name);

// True once a job can change no more.
bool isFinalStatus(JobStatus status);
