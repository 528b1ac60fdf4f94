#pragma once

#include "core/chat/usage.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

#include <chrono>

struct JobRecord;

// The times of one answer, milliseconds since the Unix epoch, 0 while unknown.
struct AnswerTimes
{
    qint64 submittedAtMs = 0;
    qint64 firstTokenAtMs = 0;
    qint64 firstContentAtMs = 0;
    qint64 finishedAtMs = 0;

    static AnswerTimes of(const JobRecord &record);

    // Reads the timings object the history stores with each answer.
    static AnswerTimes fromTimings(const QJsonObject &timings);
};

// The discreet line of figures under an answer: "412 tokens · first token 0.8 s ·
// 52 tokens/s · 8.1 s". Time to first token counts from submission, as the user waited it;
// tokens per second count from the first token to the end, as the text came.
class AnswerStats
{
    Q_DECLARE_TR_FUNCTIONS(AnswerStats)

public:
    static QString describe(const Usage &usage, const AnswerTimes &times);

    // How long the model reasoned before answering; zero when unknown.
    static std::chrono::milliseconds reasoningDuration(const AnswerTimes &times);
};
