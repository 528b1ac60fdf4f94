#pragma once

#include "core/store/historystore.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

// A conversation with its messages, as exported and imported.
struct ConversationExport
{
    Conversation conversation;
    QList<HistoryMessage> messages;

    // Readable Markdown: the title, the system prompt, then each turn under a heading with
    // an answer's reasoning quoted above it. Not meant to be imported back.
    QString toMarkdown() const;

    // The JSON document `fromJson` reads: {"format": "chatqueue.conversation", "version": 1,
    // "title", "created_at_ms", "updated_at_ms", "pinned", "system_prompt", "model",
    // "profile", "parameters", "messages": [{"role", "content", "reasoning", "status",
    // "job_id", "usage", "timings", "created_at_ms"}]}. `messages` is a list: export the
    // shown path (HistoryStore::messages()), not the versions it hides.
    QByteArray toJson() const;

    // Reads a document of toJson(). "profile" and "parameters" may be missing, as in files
    // exported before they existed. An answer that had not ended when it was exported comes
    // back cancelled and without its job, so nothing tries to follow a job of another queue.
    static Result<ConversationExport, QString> fromJson(const QByteArray &json);
};
