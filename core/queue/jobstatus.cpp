#include "core/queue/jobstatus.h"

#include <array>
#include <utility>

namespace {

constexpr std::array kStatusNames {
    std::pair {JobStatus::Queued, "queued"},
    std::pair {JobStatus::Running, "running"},
    std::pair {JobStatus::Succeeded, "succeeded"},
    std::pair {JobStatus::Failed, "failed"},
    std::pair {JobStatus::Cancelled, "cancelled"},
};

} // namespace

QString jobStatusName(JobStatus status)
{
    for (const auto &[s, name] : kStatusNames) {
        if (s == status) {
            return QString::fromLatin1(name);
        }
    }
    return QString();
}

std::optional<JobStatus> jobStatusFromName(const QString &name)
{
    for (const auto &[s, statusName] : kStatusNames) {
        if (name == QLatin1StringView(statusName)) {
            return s;
        }
    }
    return std::nullopt;
}

bool isFinalStatus(JobStatus status)
{
    return status == JobStatus::Succeeded || status == JobStatus::Failed
            || status == JobStatus::Cancelled;
}
