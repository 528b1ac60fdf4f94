#pragma once

#include <QString>

// A failure of the queue itself, as opposed to a failed chat: the backend is unreachable,
// a job does not exist, or a worker lost the lease on the job it was running.
struct QueueError
{
    enum class Kind {
        Unavailable, // cannot reach the backend (Redis down, wrong password, …)
        NotFound,    // no such job
        LeaseLost,   // another worker took the job over; stop streaming it
        Invalid,     // a malformed entry or argument
    };

    Kind kind = Kind::Unavailable;
    QString message;

    static QueueError make(Kind kind, QString message)
    {
        return QueueError {kind, std::move(message)};
    }
};
