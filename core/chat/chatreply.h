#pragma once

#include "core/chat/toolcall.h"
#include "core/chat/usage.h"

#include <QList>
#include <QString>

// A piece of an answer as it streams: text and reasoning to append, tool-call fragments,
// and usage or a finish reason once they are known.
struct ChatDelta
{
    QString content;
    QString reasoning;
    QString refusal;
    QList<ToolCall> toolCallFragments; // merged by index; empty id or name means absent
    Usage usage;                       // known only on the chunk that carried it
    QString finishReason;

    bool isEmpty() const;
};

// A whole answer: what all the deltas of one attempt add up to.
struct ChatReply
{
    QString content;
    QString reasoning;
    QString refusal;
    QString finishReason;
    Usage usage;
    QList<ToolCall> toolCalls;

    // Adds one delta: text appended, tool calls merged by index, the last usage and
    // finish reason kept.
    void apply(const ChatDelta &delta);
};
