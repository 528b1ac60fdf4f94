#pragma once

#include "core/chat/chaterror.h"
#include "core/chat/chatreply.h"
#include "core/provider/chunkdecoder.h"
#include "core/provider/sseparser.h"
#include "core/util/result.h"

#include <QByteArrayView>
#include <QList>

#include <optional>

// Turns the bytes of one streaming chat/completions response, fed in pieces of any size,
// into deltas of the first choice (index 0). Built on SseParser and ChunkDecoder.
class ChatStreamParser
{
public:
    // How a finished stream ended.
    enum class Ending {
        Complete,  // [DONE], or the body ended after a finish reason
        Truncated, // the body ended before any finish reason and without [DONE]
    };

    // Parses more bytes. Returns the deltas they completed, or the error the stream carried
    // (an `error` object or `event: error` inside a 200 stream, a line over the size bound,
    // data that is not JSON). After an error, the parser accepts no more input.
    Result<QList<ChatDelta>, ChatError> feed(QByteArrayView bytes);

    // Call when the body has ended; says whether the stream was complete.
    Ending finish();

    bool sawDone() const;
    bool sawFinishReason() const;

    // When feed() returned an error, the deltas that the same bytes completed before it
    // (the chunk that carried the error included): the answer so far is kept on failure.
    const QList<ChatDelta> &deltasBeforeError() const { return m_deltasBeforeError; }

private:
    SseParser m_sse;
    ChunkDecoder m_decoder;
    std::optional<ChatError> m_error;
    QList<ChatDelta> m_deltasBeforeError;
    bool m_sawDone = false;
    bool m_sawFinishReason = false;
};
