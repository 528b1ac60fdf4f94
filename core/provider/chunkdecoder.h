#pragma once

#include "core/chat/chaterror.h"
#include "core/chat/chatreply.h"
#include "core/chat/usage.h"
#include "core/provider/sseparser.h"

#include <QByteArrayView>
#include <QJsonValue>
#include <QMap>

#include <optional>

// What one event of a streamed chat/completions response said.
struct DecodedChunk
{
    // One delta per choice the chunk named, keyed by choice index. A delta may be empty (a
    // choice carrying only content-filter results). Usage is never set here; see `usage`.
    QMap<int, ChatDelta> choices;

    // Token counts from the top-level `usage`, else from `x_groq.usage`; unknown when the
    // chunk had neither. Providers that repeat a growing usage on every chunk mean the last.
    Usage usage;

    // An error the provider reported inside a 200 stream: a top-level `error` object, an
    // `event: error` event, or data that is not JSON (`protocol`).
    std::optional<ChatError> error;

    // The chunk was the `[DONE]` sentinel.
    bool done = false;
};

// Decodes the events of one OpenAI-compatible streaming response, one at a time, into
// per-choice deltas. It keeps a little state across the events of a stream, so use one
// decoder per response.
//
// Dialects it reads:
// - `delta.content` as a string, `null`, or a Mistral-style array of parts: {type: text}
//   is answer text, {type: thinking, thinking: [{type: text}]} is reasoning;
// - reasoning as `reasoning_content` (DeepSeek, Qwen, xAI…) or `reasoning` (Groq,
//   OpenRouter…), counted once when a chunk carries both; OpenRouter's
//   `reasoning_details[].text` repeats `reasoning`, so it is read only in streams that never
//   sent either field (Snowflake Cortex sends nothing else);
// - `refusal`, tool-call fragments by index (an empty id, type or name means absent), a
//   choice without `delta`, `finish_reason` absent, null or repeated.
// Text such as `<think>…</think>` inside `content` stays content: some routers pass a
// reasoning model's raw output through that way, and only the caller can know it is one.
class ChunkDecoder
{
public:
    DecodedChunk decode(const SseEvent &event);
    DecodedChunk decode(QByteArrayView eventType, QByteArrayView data);

    // Turns a provider's error object (or the bare string some send instead) into an
    // error value, classified by ErrorClassifier with the HTTP-like status the object
    // states (`status_code`, a numeric `status` or `code`) standing in for the HTTP one;
    // that status is also the error's `httpStatus`, 0 when it states none. An error that
    // states no status and names no known cause is `server`: a stream that fails midway
    // most often means the upstream model failed.
    static ChatError errorFromJson(const QJsonValue &error);

private:
    void decodeChoice(const QJsonObject &choice, ChatDelta &delta);
    void decodeContentParts(const QJsonArray &parts, ChatDelta &delta);
    void decodeReasoning(const QJsonObject &delta, ChatDelta &out);

    // Set once a `reasoning`, `reasoning_content` or thinking part with text came, so
    // that `reasoning_details` is not counted a second time.
    bool m_sawReasoningField = false;
};
