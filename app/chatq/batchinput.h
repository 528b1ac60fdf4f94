#pragma once

#include "core/chat/chatrequest.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

// One request of a `chatq batch` input: a line of JSONL (docs/chatq-json.md).
struct BatchItem
{
    int line = 0;  // 1-based line number in the input
    QJsonValue id; // the line's "id" as given (string or number), else the line number
    QString key;   // the id as text: what results are matched by when resuming

    std::optional<ChatRequest> request; // empty when the line is not a valid request
    QString problem;                    // why it is not, for the result line
};

// What a line may leave out.
struct BatchDefaults
{
    QString model; // --model, else $CHATQ_MODEL
    QString profile = QStringLiteral("default");
};

// The id as text for matching: strings as they are, numbers without a fraction as integers.
QString batchKey(const QJsonValue &id);

// Reads JSONL: one request object per non-blank line, in the shape the queue carries
// ("messages", "model", "profile", "temperature", "max_tokens", "reasoning_effort") or with
// `ask`'s shorthand "prompt" and "system" instead of "messages", plus an optional "id".
// A line that is not such an object, or repeats an earlier id, becomes an item with a
// problem instead of a request; nothing here stops the batch.
QList<BatchItem> parseBatchInput(const QByteArray &jsonl, const BatchDefaults &defaults);
