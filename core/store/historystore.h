#pragma once

#include "core/util/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QVariant>

#include <memory>
#include <optional>

// One conversation as the list shows it. Times are milliseconds since the Unix epoch;
// `deletedAtMs` is 0 unless the conversation was deleted and can still be restored.
struct Conversation
{
    qint64 id = 0;
    QString title;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
    bool pinned = false;
    QString systemPrompt;
    QString model;
    qint64 deletedAtMs = 0;
};

// One stored turn. An assistant turn carries the job that produces it and that job's
// status name (queued, running, succeeded, failed, cancelled); a user turn has neither.
struct HistoryMessage
{
    qint64 id = 0;
    qint64 conversationId = 0;
    QString role; // "user" or "assistant"
    QString content;
    QString reasoning;
    QString jobId;
    QString status;
    QJsonObject usage;   // Usage::toJson() once known
    QJsonObject timings; // submitted/started/first token/finished, and the error if any
    qint64 createdAtMs = 0;
    int position = 0; // order within the conversation, from 0
};

// Conversations and their messages in a local SQLite file.
//
// Every call runs on the calling thread (the UI thread in the app) through its own named
// connection. Each write is one prepared statement, and the file is in WAL mode with
// synchronous=NORMAL, so a write is an append to the log without an fsync: cheap enough for
// the UI thread at the ~10 writes per second a streaming answer causes, and still durable
// when the process crashes (only a power loss can take the last commits). Reads are small
// indexed queries except search(), which scans message text and runs when the user types.
//
// Search is LIKE with the user's text escaped: case-insensitive for ASCII letters (SQLite
// folds nothing else), and it finds any substring, which suits Chinese text that has no
// spaces between words.
class HistoryStore
{
public:
    // Opens or creates the file and its tables.
    static Result<std::unique_ptr<HistoryStore>, QString> open(const QString &filePath);
    ~HistoryStore();

    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    QString filePath() const { return m_filePath; }

    // A new conversation, empty, created and updated now.
    Result<Conversation, QString> createConversation(const QString &title,
                                                     const QString &systemPrompt = {},
                                                     const QString &model = {});
    std::optional<Conversation> conversation(qint64 id) const;

    // Conversations not deleted, pinned first, then the most recently updated first.
    QList<Conversation> conversations() const;

    // Like conversations(), restricted to those whose title or any message contains `text`.
    // An empty text matches every conversation.
    QList<Conversation> search(const QString &text) const;

    Result<void, QString> rename(qint64 id, const QString &title);
    Result<void, QString> setPinned(qint64 id, bool pinned);

    // Hides the conversation; restore() brings it back with its messages, purge() removes it.
    Result<void, QString> remove(qint64 id);
    Result<void, QString> restore(qint64 id);
    Result<void, QString> purge(qint64 id);

    // Stores a whole conversation read from an export under a new id, keeping its times
    // (those that are 0 become now) and its messages' order.
    Result<Conversation, QString> importConversation(Conversation conversation,
                                                     const QList<HistoryMessage> &messages);

    // Removes every deleted conversation for good.
    Result<void, QString> purgeDeleted();

    // Appends `message` to its conversation at the next position and makes the conversation
    // the most recently updated. Returns the message with its id, position and time set.
    Result<HistoryMessage, QString> addMessage(HistoryMessage message);

    // Writes the text and status of a message as it streams (one statement).
    Result<void, QString> updateMessage(qint64 id,
                                        const QString &content,
                                        const QString &reasoning,
                                        const QString &status);

    // Writes the final state of an answer, usage and timings included.
    Result<void, QString> finishMessage(const HistoryMessage &message);

    std::optional<HistoryMessage> message(qint64 id) const;

    // The messages of a conversation, in order.
    QList<HistoryMessage> messages(qint64 conversationId) const;

    // Assistant messages whose job had not ended when they were last written.
    QList<HistoryMessage> unfinishedMessages() const;

private:
    HistoryStore() = default;

    Result<void, QString> createSchema();
    Result<void, QString> setDeletedAt(qint64 id, qint64 deletedAtMs);
    QList<Conversation> queryConversations(const QString &likePattern) const;
    QList<HistoryMessage> queryMessages(const QString &where, const QVariantList &values) const;

    QString m_filePath;
    QString m_connectionName;
};
