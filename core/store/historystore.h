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
// `profile`, `model`, `systemPrompt` and `parameters` are what its next request is sent
// with; `parameters` holds request options such as temperature, max_tokens or
// reasoning_effort, which the store keeps without reading them.
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
    QString profile;
    QJsonObject parameters;
};

// One stored turn. An assistant turn carries the job that produces it and that job's
// status name (queued, running, succeeded, failed, cancelled); a user turn has neither.
//
// The messages of a conversation form a tree: `parentId` is the turn this one answers or
// follows (0 at the root level). The versions of a message are its siblings of the same
// role (same conversation, same parent), ordered by id: a regenerated answer or an edited
// prompt is a new version. Among siblings the one with the greatest `selectedAtMs` (then
// the greatest id) is shown, and its own subtree with it.
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
    int position = 0; // depth in the conversation: 0 at the root level, parent's + 1
    qint64 parentId = 0;
    qint64 selectedAtMs = 0;

    // Filled by reads (message(), messages(), versions()): this message's 0-based index
    // among its versions, and how many versions there are.
    int versionIndex = 0;
    int versionCount = 1;
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
// Paging through versions, deleting a message and changing a conversation's settings leave
// its updated time alone, so browsing never reorders the list; only a new message moves a
// conversation to the top.
//
// Search is LIKE with the user's text escaped: case-insensitive for ASCII letters (SQLite
// folds nothing else), and it finds any substring, which suits Chinese text that has no
// spaces between words.
class HistoryStore
{
public:
    // Opens or creates the file and its tables, upgrading a file of an older schema in
    // place. Fails for a file written by a newer schema.
    static Result<std::unique_ptr<HistoryStore>, QString> open(const QString &filePath);
    ~HistoryStore();

    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    QString filePath() const { return m_filePath; }

    // A new conversation, empty, created and updated now.
    Result<Conversation, QString> createConversation(const QString &title,
                                                     const QString &systemPrompt = {},
                                                     const QString &model = {},
                                                     const QString &profile = {},
                                                     const QJsonObject &parameters = {});
    std::optional<Conversation> conversation(qint64 id) const;

    // Conversations not deleted, pinned first, then the most recently updated first.
    QList<Conversation> conversations() const;

    // Like conversations(), restricted to those whose title or any message contains `text`.
    // An empty text matches every conversation.
    QList<Conversation> search(const QString &text) const;

    Result<void, QString> rename(qint64 id, const QString &title);
    Result<void, QString> setPinned(qint64 id, bool pinned);

    // Replaces what the conversation's next request is sent with. Fails for an unknown id.
    Result<void, QString> setConversationSettings(qint64 id,
                                                  const QString &profile,
                                                  const QString &model,
                                                  const QString &systemPrompt,
                                                  const QJsonObject &parameters);

    // Hides the conversation; restore() brings it back with its messages, purge() removes it.
    Result<void, QString> remove(qint64 id);
    Result<void, QString> restore(qint64 id);
    Result<void, QString> purge(qint64 id);

    // Stores a whole conversation read from an export under a new id, keeping its times
    // (those that are 0 become now) and its messages' order: each message follows the one
    // before it, as one version each.
    Result<Conversation, QString> importConversation(Conversation conversation,
                                                     const QList<HistoryMessage> &messages);

    // Removes every deleted conversation for good.
    Result<void, QString> purgeDeleted();

    // Appends `message` after the last message shown in its conversation (see messages()),
    // ignoring message.parentId, and makes the conversation the most recently updated.
    // Returns the message with its id, parent, position, times and versions set.
    Result<HistoryMessage, QString> addMessage(HistoryMessage message);

    // Adds `message` under `parentId` (0: at the root level) as the shown child there, so
    // it becomes a new version of the siblings of its role: a regenerated answer goes under
    // its prompt, an edited prompt under the edited prompt's parent. A conversationId of 0
    // is taken from the parent. Fails when the parent does not exist or belongs to another
    // conversation. Otherwise as addMessage().
    Result<HistoryMessage, QString> addReply(HistoryMessage message, qint64 parentId);

    // Writes the text and status of a message as it streams (one statement).
    Result<void, QString> updateMessage(qint64 id,
                                        const QString &content,
                                        const QString &reasoning,
                                        const QString &status);

    // Writes the final state of an answer, usage and timings included.
    Result<void, QString> finishMessage(const HistoryMessage &message);

    std::optional<HistoryMessage> message(qint64 id) const;

    // The shown path of a conversation, in order: from the root level, at each level the
    // child selected last (see HistoryMessage). Versions not shown and their subtrees are
    // left out. Reads the conversation's rows in one query.
    QList<HistoryMessage> messages(qint64 conversationId) const;

    // The versions of a message in order, itself included; empty for an unknown id.
    QList<HistoryMessage> versions(qint64 messageId) const;

    // Shows this version instead of its siblings (its selectedAtMs becomes now, or just
    // above the greatest of its siblings'), with the subtree under it. If it lies in a
    // branch that is not shown, the versions above it that lead to it are shown too.
    Result<void, QString> selectVersion(qint64 messageId);

    // Deletes a message. If it has other versions, it goes with its whole subtree and the
    // remaining version selected last is shown. If it is the only version, it goes alone
    // and its children move up to its parent, so the turns after it stay. Fails for an
    // unknown id.
    Result<void, QString> deleteMessage(qint64 messageId);

    // Messages whose job had not ended when they were last written, shown or not.
    QList<HistoryMessage> unfinishedMessages() const;

private:
    HistoryStore() = default;

    Result<void, QString> createSchema();
    Result<void, QString> upgradeSchema();
    bool hasColumn(const QString &table, const QString &column) const;
    Result<void, QString> setDeletedAt(qint64 id, qint64 deletedAtMs);
    QList<Conversation> queryConversations(const QString &likePattern) const;

    // Rows matching `condition` (a WHERE clause, with its ORDER BY if the order matters).
    // `withText` false reads only what walks through the tree need, from the index
    // messages_by_parent alone, however long the texts are.
    QList<HistoryMessage>
    queryMessages(const QString &condition, const QVariantList &values, bool withText = true) const;

    // The message's versions (same conversation, parent and role), ascending id.
    QList<qint64> versionIds(const HistoryMessage &message) const;
    void fillVersion(HistoryMessage &message) const;

    // The insert shared by addMessage() and addReply(), inside the caller's transaction.
    Result<HistoryMessage, QString> insertReply(HistoryMessage message, qint64 parentId);

    QString m_filePath;
    QString m_connectionName;
};
