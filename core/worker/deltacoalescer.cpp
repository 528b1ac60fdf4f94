#include "core/worker/deltacoalescer.h"

namespace {

// The UTF-8 length of a string without encoding it: this runs once per token.
qsizetype utf8Length(const QString &text)
{
    qsizetype bytes = 0;
    for (const QChar c : text) {
        const char16_t unit = c.unicode();
        if (unit < 0x80) {
            bytes += 1;
        } else if (unit < 0x800) {
            bytes += 2;
        } else if (c.isSurrogate()) {
            bytes += 2; // each half of a pair: four bytes for the pair
        } else {
            bytes += 3;
        }
    }
    return bytes;
}

} // namespace

DeltaCoalescer::DeltaCoalescer(std::chrono::milliseconds interval, int flushBytes)
    : m_interval(interval)
    , m_flushBytes(flushBytes)
{
}

bool DeltaCoalescer::add(const ChatDelta &delta, Clock::time_point now)
{
    if (delta.isEmpty()) {
        return m_pending && m_bytes >= m_flushBytes;
    }

    if (!m_pending) {
        m_pending = true;
        m_firstAt = now;
    }

    m_merged.content += delta.content;
    m_merged.reasoning += delta.reasoning;
    m_merged.refusal += delta.refusal;
    m_merged.toolCallFragments += delta.toolCallFragments;
    if (delta.usage.known) {
        m_merged.usage = delta.usage;
    }
    if (!delta.finishReason.isEmpty()) {
        m_merged.finishReason = delta.finishReason;
    }

    m_bytes += utf8Length(delta.content) + utf8Length(delta.reasoning)
            + utf8Length(delta.refusal);
    for (const ToolCall &fragment : delta.toolCallFragments) {
        m_bytes += utf8Length(fragment.name) + utf8Length(fragment.arguments);
    }
    return m_bytes >= m_flushBytes;
}

bool DeltaCoalescer::isDue(Clock::time_point now) const
{
    return m_pending && (m_bytes >= m_flushBytes || now >= dueAt());
}

ChatDelta DeltaCoalescer::take()
{
    ChatDelta merged = std::move(m_merged);
    m_merged = ChatDelta();
    m_bytes = 0;
    m_pending = false;
    return merged;
}
