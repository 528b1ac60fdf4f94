#include "ui/chat/answerstats.h"

#include "core/queue/jobrecord.h"

#include <QLocale>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace {

QString seconds(qint64 ms)
{
    return QLocale().toString(static_cast<double>(ms) / 1000.0, 'f', 1);
}

} // namespace

AnswerTimes AnswerTimes::of(const JobRecord &record)
{
    return {record.submittedAtMs,
            record.firstTokenAtMs,
            record.firstContentAtMs,
            record.finishedAtMs};
}

AnswerTimes AnswerTimes::fromTimings(const QJsonObject &timings)
{
    return {timings.value(u"submitted_at_ms"_s).toInteger(),
            timings.value(u"first_token_at_ms"_s).toInteger(),
            timings.value(u"first_content_at_ms"_s).toInteger(),
            timings.value(u"finished_at_ms"_s).toInteger()};
}

QString AnswerStats::describe(const Usage &usage, const AnswerTimes &times)
{
    QStringList parts;
    if (usage.known && usage.completionTokens > 0) {
        parts.append(usage.completionTokens == 1 ? tr("1 token")
                                                 : tr("%1 tokens").arg(usage.completionTokens));
    }
    if (times.submittedAtMs > 0 && times.firstTokenAtMs >= times.submittedAtMs) {
        parts.append(
                tr("first token %1 s").arg(seconds(times.firstTokenAtMs - times.submittedAtMs)));
    }
    const qint64 streamingMs = times.finishedAtMs - times.firstTokenAtMs;
    if (usage.known && usage.completionTokens > 0 && times.firstTokenAtMs > 0 && streamingMs > 0) {
        const double rate = static_cast<double>(usage.completionTokens) * 1000.0
                            / static_cast<double>(streamingMs);
        parts.append(tr("%1 tokens/s").arg(QLocale().toString(rate, 'f', 0)));
    }
    if (times.submittedAtMs > 0 && times.finishedAtMs >= times.submittedAtMs) {
        parts.append(tr("%1 s").arg(seconds(times.finishedAtMs - times.submittedAtMs)));
    }
    return parts.join(u" · "_s);
}

std::chrono::milliseconds AnswerStats::reasoningDuration(const AnswerTimes &times)
{
    // An answer that never got past its reasoning reasoned until it ended.
    const qint64 end = times.firstContentAtMs > 0 ? times.firstContentAtMs : times.finishedAtMs;
    if (times.firstTokenAtMs <= 0 || end < times.firstTokenAtMs) {
        return std::chrono::milliseconds(0);
    }
    return std::chrono::milliseconds(end - times.firstTokenAtMs);
}
