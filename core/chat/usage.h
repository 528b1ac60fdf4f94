#pragma once

#include <QJsonObject>
#include <QtGlobal>

// Token counts a provider reported for one request. `known` is false when none came.
struct Usage
{
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 totalTokens = 0;
    bool known = false;

    // Reads the OpenAI shape {prompt_tokens, completion_tokens, total_tokens}; missing
    // totals are derived. Returns an unknown Usage for anything else.
    static Usage fromJson(const QJsonObject &object);
    QJsonObject toJson() const;

    friend bool operator==(const Usage &, const Usage &) = default;
};
