#include "core/provider/sseparser.h"

#include <utility>

using namespace Qt::StringLiterals;

namespace {

constexpr QByteArrayView kByteOrderMark("\xEF\xBB\xBF");

// The longest `retry:` value we read; more digits than this would overflow a qint64.
constexpr qsizetype kMaxRetryDigits = 15;

bool isAllDigits(QByteArrayView value)
{
    if (value.isEmpty() || value.size() > kMaxRetryDigits) {
        return false;
    }
    for (const char c : value) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

} // namespace

SseParser::SseParser(qsizetype maxEventSize)
    : m_maxEventSize(maxEventSize)
{
}

Result<QList<SseEvent>, ChatError> SseParser::feed(QByteArrayView bytes)
{
    if (m_error) {
        return *m_error;
    }

    // Hold the first bytes until we know whether they are a byte order mark, which the
    // standard skips; it may arrive split across reads like anything else.
    if (!m_atStart) {
        return consume(bytes);
    }
    m_bomPrefix.append(bytes.data(), bytes.size());
    if (m_bomPrefix.size() < kByteOrderMark.size() && kByteOrderMark.startsWith(m_bomPrefix)) {
        return QList<SseEvent> {};
    }

    m_atStart = false;
    QByteArray first = std::exchange(m_bomPrefix, {});
    if (first.startsWith(kByteOrderMark)) {
        first.remove(0, kByteOrderMark.size());
    }
    return consume(first);
}

Result<QList<SseEvent>, ChatError> SseParser::consume(QByteArrayView bytes)
{
    QList<SseEvent> events;
    const char *p = bytes.data();
    const qsizetype n = bytes.size();
    qsizetype pos = 0;

    // A CR that ended the previous read already ended its line; an LF right after it is
    // the second half of the same CRLF, not an empty line.
    if (m_lastByteWasCr && n > 0) {
        if (p[0] == '\n') {
            pos = 1;
        }
        m_lastByteWasCr = false;
    }

    while (pos < n) {
        qsizetype end = pos;
        while (end < n && p[end] != '\n' && p[end] != '\r') {
            ++end;
        }

        // No line end in what is left: keep it for the next read, within the bound.
        if (end == n) {
            if (m_line.size() + (n - pos) > m_maxEventSize) {
                fail(u"An event stream line is larger than %1 bytes."_s.arg(m_maxEventSize));
                return *m_error;
            }
            m_line.append(p + pos, n - pos);
            break;
        }

        // A whole line: parse it in place when nothing of it came in an earlier read.
        if (m_line.size() + (end - pos) > m_maxEventSize) {
            fail(u"An event stream line is larger than %1 bytes."_s.arg(m_maxEventSize));
            return *m_error;
        }
        if (m_line.isEmpty()) {
            processLine(QByteArrayView(p + pos, end - pos), events);
        } else {
            m_line.append(p + pos, end - pos);
            processLine(m_line, events);
            m_line.resize(0);
        }
        if (m_error) {
            return *m_error;
        }

        // Step over the line end: CRLF counts once, even when the LF is in the next read.
        if (p[end] == '\r') {
            if (end + 1 < n) {
                if (p[end + 1] == '\n') {
                    ++end;
                }
            } else {
                m_lastByteWasCr = true;
            }
        }
        pos = end + 1;
    }
    return events;
}

std::optional<SseEvent> SseParser::takeUnterminated()
{
    if (m_error) {
        return std::nullopt;
    }

    // The bytes held back as a possible byte order mark, and a last line without an end,
    // still count here.
    if (m_atStart) {
        m_atStart = false;
        m_line = std::exchange(m_bomPrefix, {});
    }
    if (!m_line.isEmpty()) {
        QList<SseEvent> ignored;
        processLine(std::exchange(m_line, {}), ignored);
    }
    m_lastByteWasCr = false;

    if (m_data.isEmpty()) {
        m_type.clear();
        return std::nullopt;
    }
    QList<SseEvent> events;
    dispatch(events);
    return events.value(0);
}

void SseParser::processLine(QByteArrayView line, QList<SseEvent> &events)
{
    if (line.isEmpty()) {
        dispatch(events);
        return;
    }
    if (line.startsWith(':')) {
        return;
    }

    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        processField(line, {});
        return;
    }
    QByteArrayView value = line.sliced(colon + 1);
    if (value.startsWith(' ')) {
        value = value.sliced(1);
    }
    processField(line.first(colon), value);
}

void SseParser::processField(QByteArrayView name, QByteArrayView value)
{
    if (name == "data") {
        if (m_data.size() + value.size() + 1 > m_maxEventSize) {
            fail(u"An event stream event is larger than %1 bytes."_s.arg(m_maxEventSize));
            return;
        }
        m_data.append(value.data(), value.size());
        m_data.append('\n');
    } else if (name == "event") {
        m_type = value.toByteArray();
    } else if (name == "id") {
        // The standard ignores an id holding NUL, so that it can never reset a reconnection.
        if (!value.contains('\0')) {
            m_lastEventId = value.toByteArray();
        }
    } else if (name == "retry") {
        if (isAllDigits(value)) {
            m_retry = std::chrono::milliseconds(value.toByteArray().toLongLong());
        }
    }
}

void SseParser::dispatch(QList<SseEvent> &events)
{
    // An event without any data line is dropped, its type with it.
    if (m_data.isEmpty()) {
        m_type.clear();
        return;
    }

    SseEvent event;
    m_data.chop(1);
    event.data = std::exchange(m_data, {});
    if (!m_type.isEmpty()) {
        event.type = std::exchange(m_type, {});
    }
    event.lastEventId = m_lastEventId;
    events.append(std::move(event));
}

void SseParser::fail(const QString &message)
{
    m_error = ChatError::make(ErrorKind::Protocol, message);
    m_line.clear();
    m_data.clear();
}
