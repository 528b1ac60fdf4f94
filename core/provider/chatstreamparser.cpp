#include "core/provider/chatstreamparser.h"

Result<QList<ChatDelta>, ChatError> ChatStreamParser::feed(QByteArrayView bytes)
{
    if (m_error) {
        return *m_error;
    }

    // Nothing after the sentinel belongs to the answer.
    if (m_sawDone) {
        return QList<ChatDelta> {};
    }

    auto events = m_sse.feed(bytes);
    if (!events) {
        m_error = events.error();
        m_deltasBeforeError.clear();
        return *m_error;
    }

    QList<ChatDelta> deltas;
    for (const SseEvent &event : events.value()) {
        DecodedChunk chunk = m_decoder.decode(event);
        if (chunk.done) {
            m_sawDone = true;
            break;
        }

        // Only the first choice is the answer; usage belongs to the whole response and
        // travels with it.
        ChatDelta delta = chunk.choices.value(0);
        if (chunk.usage.known) {
            delta.usage = chunk.usage;
        }
        if (!delta.finishReason.isEmpty()) {
            m_sawFinishReason = true;
        }
        if (!delta.isEmpty()) {
            deltas.append(std::move(delta));
        }

        if (chunk.error) {
            m_error = std::move(chunk.error);
            m_deltasBeforeError = std::move(deltas);
            return *m_error;
        }
    }
    return deltas;
}

ChatStreamParser::Ending ChatStreamParser::finish()
{
    // Some servers end the body right after `data: [DONE]` without the blank line that
    // would dispatch it (seen behind an Anthropic-compatible endpoint). The standard drops
    // such an event; we accept the sentinel alone, and only it, as a deliberate leniency:
    // any other unterminated event may be cut short and is not trusted.
    if (!m_sawDone && !m_error) {
        const std::optional<SseEvent> last = m_sse.takeUnterminated();
        if (last && last->data.trimmed() == "[DONE]") {
            m_sawDone = true;
        }
    }
    return m_sawDone || m_sawFinishReason ? Ending::Complete : Ending::Truncated;
}

bool ChatStreamParser::sawDone() const
{
    return m_sawDone;
}

bool ChatStreamParser::sawFinishReason() const
{
    return m_sawFinishReason;
}
