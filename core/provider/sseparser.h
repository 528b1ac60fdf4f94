#pragma once

#include "core/chat/chaterror.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <chrono>
#include <optional>

// One dispatched Server-Sent Event. Everything stays raw bytes: the data of an event is
// complete when it is dispatched, so UTF-8 split across network reads is decoded whole later.
struct SseEvent
{
    QByteArray type = QByteArrayLiteral("message"); // the `event:` field, "message" by default
    QByteArray data;                                // `data:` lines joined with '\n'
    QByteArray lastEventId;                         // the last `id:` seen in the stream

    friend bool operator==(const SseEvent &, const SseEvent &) = default;
};

// An incremental parser of a `text/event-stream` body, following the WHATWG rules:
// - lines end in CRLF, LF or CR; a CR ending one read and an LF starting the next are one
//   line end;
// - a line starting with ':' is a comment (keep-alive) and is ignored;
// - `field:value` loses exactly one space after the colon; a line without a colon is a
//   field with an empty value; unknown fields are ignored;
// - `data` lines are joined with '\n'; a blank line dispatches the event, unless no data
//   line came (then the event and its type are dropped);
// - a UTF-8 byte order mark at the very start is skipped.
// The body is untrusted, so one line or one event's data larger than `maxEventSize` is an
// error instead of unbounded growth. After an error the parser accepts no more input.
class SseParser
{
public:
    static constexpr qsizetype kDefaultMaxEventSize = 8 * 1024 * 1024;

    explicit SseParser(qsizetype maxEventSize = kDefaultMaxEventSize);

    // Parses more bytes; returns the events they completed, in order, or a `protocol`
    // error when a line or an event outgrew the bound (or an earlier call failed).
    Result<QList<SseEvent>, ChatError> feed(QByteArrayView bytes);

    // At the end of the body: the event that was still open (no blank line after it),
    // counting a last line that had no line end. The standard drops such an event; this
    // returns it so that a caller may choose to be lenient. Resets the open event.
    std::optional<SseEvent> takeUnterminated();

    // The reconnection time from the last valid `retry:` field, if any came.
    std::optional<std::chrono::milliseconds> retry() const { return m_retry; }

    bool failed() const { return m_error.has_value(); }

private:
    Result<QList<SseEvent>, ChatError> consume(QByteArrayView bytes);
    void processLine(QByteArrayView line, QList<SseEvent> &events);
    void processField(QByteArrayView name, QByteArrayView value);
    void dispatch(QList<SseEvent> &events);
    void fail(const QString &message);

    qsizetype m_maxEventSize;
    QByteArray m_line;            // the current line, not yet ended
    bool m_lastByteWasCr = false; // a following LF belongs to that line end
    bool m_atStart = true;        // the first bytes may still be a byte order mark
    QByteArray m_bomPrefix;       // those first bytes, held until that is decided

    QByteArray m_type;
    QByteArray m_data; // each data line plus '\n', as the standard builds it
    QByteArray m_lastEventId;
    std::optional<std::chrono::milliseconds> m_retry;
    std::optional<ChatError> m_error;
};
