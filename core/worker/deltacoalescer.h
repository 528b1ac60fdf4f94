#pragma once

#include "core/chat/chatreply.h"

#include <chrono>

// Gathers the deltas of one stream between two flushes into a single delta, so readers get
// a few dozen events a second instead of one per token. A flush is due `interval` after the
// first delta that is still pending, or as soon as `flushBytes` bytes of text are pending,
// whichever comes first. Pure bookkeeping: the caller owns the clock and the timer.
class DeltaCoalescer
{
public:
    using Clock = std::chrono::steady_clock;

    DeltaCoalescer(std::chrono::milliseconds interval, int flushBytes);

    // Adds a delta that arrived at `now`. True when the pending text reached the byte limit,
    // so the caller should flush now rather than wait for the interval.
    bool add(const ChatDelta &delta, Clock::time_point now);

    bool hasPending() const { return m_pending; }

    // UTF-8 bytes of text, reasoning and tool-call fragments pending.
    qsizetype pendingBytes() const { return m_bytes; }

    // When the pending deltas must be flushed at the latest; meaningless without any.
    Clock::time_point dueAt() const { return m_firstAt + m_interval; }

    // Whether there is something pending and it should be flushed at `now`.
    bool isDue(Clock::time_point now) const;

    // The pending deltas merged in order: texts appended, tool-call fragments kept in
    // order, the last usage and finish reason. Leaves nothing pending.
    ChatDelta take();

private:
    std::chrono::milliseconds m_interval;
    qsizetype m_flushBytes;
    ChatDelta m_merged;
    qsizetype m_bytes = 0;
    bool m_pending = false;
    Clock::time_point m_firstAt;
};
