#include "core/store/historystore.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHistory, "chatqueue.history")

namespace {

// 1: linear conversations. 2: messages form a tree (parent_id, selected_at) and
// conversations keep their profile and request parameters.
constexpr int kSchemaVersion = 2;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// The selection time that puts a message above siblings selected up to `latestMs`: now,
// unless the clock went back or a sibling was selected within this millisecond.
qint64 selectionTimeAbove(qint64 latestMs)
{
    return std::max(nowMs(), latestMs + 1);
}

// `text` as a LIKE pattern that matches it anywhere, with the wildcards it holds escaped.
QString containsPattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', u"\\\\"_s);
    escaped.replace(u'%', u"\\%"_s);
    escaped.replace(u'_', u"\\_"_s);
    return u'%' + escaped + u'%';
}

QString toJsonText(const QJsonObject &object)
{
    return object.isEmpty()
                   ? QString()
                   : QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject fromJsonText(const QString &text)
{
    return text.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(text.toUtf8()).object();
}

// Qt binds a null QString as SQL NULL; the text columns hold '' instead.
QVariant bindText(const QString &value)
{
    return value.isNull() ? QVariant(QString(u""_s)) : QVariant(value);
}

QString describe(const QSqlQuery &query)
{
    return query.lastError().text();
}

Conversation readConversation(const QSqlQuery &query)
{
    Conversation conversation;
    conversation.id = query.value(0).toLongLong();
    conversation.title = query.value(1).toString();
    conversation.createdAtMs = query.value(2).toLongLong();
    conversation.updatedAtMs = query.value(3).toLongLong();
    conversation.pinned = query.value(4).toBool();
    conversation.systemPrompt = query.value(5).toString();
    conversation.model = query.value(6).toString();
    conversation.deletedAtMs = query.value(7).toLongLong();
    conversation.profile = query.value(8).toString();
    conversation.parameters = fromJsonText(query.value(9).toString());
    return conversation;
}

HistoryMessage readMessage(const QSqlQuery &query)
{
    HistoryMessage message;
    message.id = query.value(0).toLongLong();
    message.conversationId = query.value(1).toLongLong();
    message.role = query.value(2).toString();
    message.content = query.value(3).toString();
    message.reasoning = query.value(4).toString();
    message.jobId = query.value(5).toString();
    message.status = query.value(6).toString();
    message.usage = fromJsonText(query.value(7).toString());
    message.timings = fromJsonText(query.value(8).toString());
    message.createdAtMs = query.value(9).toLongLong();
    message.position = query.value(10).toInt();
    message.parentId = query.value(11).toLongLong();
    message.selectedAtMs = query.value(12).toLongLong();
    return message;
}

// A message without its text, job or JSON, from a row of kMessageTreeColumns.
HistoryMessage readTreeNode(const QSqlQuery &query)
{
    HistoryMessage message;
    message.id = query.value(0).toLongLong();
    message.conversationId = query.value(1).toLongLong();
    message.role = query.value(2).toString();
    message.position = query.value(3).toInt();
    message.parentId = query.value(4).toLongLong();
    message.selectedAtMs = query.value(5).toLongLong();
    return message;
}

const QString kConversationColumns = u"id, title, created_at, updated_at, pinned, "
                                     "system_prompt, model, deleted_at, profile, parameters"_s;
const QString kMessageColumns = u"id, conversation_id, role, content, reasoning, job_id, "
                                "status, usage, timings, created_at, position, parent_id, "
                                "selected_at"_s;
// What readTreeNode() reads, for walks through the tree.
const QString kMessageTreeColumns =
        u"id, conversation_id, role, position, parent_id, selected_at"_s;

// The ids of a message's subtree, itself included, in a recursive query that stays in its
// conversation (parent_id 0 is shared by every conversation's root level). UNION rather
// than UNION ALL ends the walk even if a damaged file holds a cycle.
const QString kSubtree = u"WITH RECURSIVE subtree(id) AS (SELECT :m UNION SELECT m.id "
                         "FROM messages AS m JOIN subtree ON m.parent_id = subtree.id "
                         "WHERE m.conversation_id = :c) "_s;

// Runs `work` in one transaction, so all of it is written or nothing. `work` returns a
// Result whose error is ready for the user; a failure of the transaction itself is put into
// `failure` (a text with one %1).
template <typename Work>
auto inTransaction(QSqlDatabase db, const QString &failure, Work work) -> decltype(work())
{
    if (!db.transaction()) {
        return failure.arg(db.lastError().text());
    }
    auto result = work();
    if (!result) {
        db.rollback();
        return result;
    }
    if (!db.commit()) {
        const QString reason = db.lastError().text();
        db.rollback();
        return failure.arg(reason);
    }
    return result;
}

// One conversation's messages by parent, for walks in memory: a conversation is read in
// one query however deep it is.
class MessageTree
{
public:
    explicit MessageTree(const QList<HistoryMessage> &rows)
        : m_rows(rows)
    {
        for (qsizetype i = 0; i < m_rows.size(); ++i) {
            m_children[m_rows.at(i).parentId].append(i);
            m_indexById.insert(m_rows.at(i).id, i);
        }
    }

    qsizetype size() const { return m_rows.size(); }

    const HistoryMessage *find(qint64 id) const
    {
        const auto it = m_indexById.constFind(id);
        return it == m_indexById.cend() ? nullptr : &m_rows.at(*it);
    }

    // The shown child of `parentId`: selected last, then the greatest id; null if none.
    const HistoryMessage *shownChild(qint64 parentId) const
    {
        const HistoryMessage *shown = nullptr;
        for (const qsizetype index : children(parentId)) {
            const HistoryMessage &child = m_rows.at(index);
            if (!shown
                || std::pair(child.selectedAtMs, child.id)
                           > std::pair(shown->selectedAtMs, shown->id)) {
                shown = &child;
            }
        }
        return shown;
    }

    qint64 latestSelection(qint64 parentId) const
    {
        qint64 latest = 0;
        for (const qsizetype index : children(parentId)) {
            latest = std::max(latest, m_rows.at(index).selectedAtMs);
        }
        return latest;
    }

    // The shown path from the root level, with each message's versions filled in. A path
    // never holds more than every row; the bound also ends a cycle in a damaged file.
    QList<HistoryMessage> shownPath() const
    {
        QList<HistoryMessage> path;
        const HistoryMessage *next = shownChild(0);
        while (next && path.size() < m_rows.size()) {
            HistoryMessage message = *next;
            fillVersion(message);
            path.append(message);
            next = shownChild(message.id);
        }
        return path;
    }

    void fillVersion(HistoryMessage &message) const
    {
        message.versionIndex = 0;
        message.versionCount = 0;
        for (const qsizetype index : children(message.parentId)) {
            const HistoryMessage &sibling = m_rows.at(index);
            if (sibling.role != message.role) {
                continue;
            }
            message.versionIndex += sibling.id < message.id ? 1 : 0;
            ++message.versionCount;
        }
    }

private:
    QList<qsizetype> children(qint64 parentId) const { return m_children.value(parentId); }

    QList<HistoryMessage> m_rows;
    QHash<qint64, QList<qsizetype>> m_children; // row indexes
    QHash<qint64, qsizetype> m_indexById;
};

} // namespace

Result<std::unique_ptr<HistoryStore>, QString> HistoryStore::open(const QString &filePath)
{
    // Connection names are process-wide; two stores (or two tests) must never share one.
    static QAtomicInteger<quint64> counter;
    std::unique_ptr<HistoryStore> store(new HistoryStore);
    store->m_filePath = filePath;
    store->m_connectionName = u"chatqueue-history-%1"_s.arg(counter.fetchAndAddRelaxed(1));

    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, store->m_connectionName);
    db.setDatabaseName(filePath);
    if (!db.open()) {
        const QString message = db.lastError().text();
        return QStringLiteral("Cannot open the history file %1: %2").arg(filePath, message);
    }
    if (auto created = store->createSchema(); !created) {
        return created.error();
    }
    qCInfo(lcHistory) << "history opened at" << filePath;
    return store;
}

HistoryStore::~HistoryStore()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<void, QString> HistoryStore::createSchema()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery query(db);

    // Settings of the connection; the journal mode cannot change inside a transaction.
    const QStringList pragmas{
            u"PRAGMA journal_mode=WAL"_s,
            u"PRAGMA synchronous=NORMAL"_s,
            u"PRAGMA foreign_keys=ON"_s,
    };
    for (const QString &pragma : pragmas) {
        if (!query.exec(pragma)) {
            return QStringLiteral("Cannot prepare the history file: %1").arg(describe(query));
        }
    }

    if (!query.exec(u"PRAGMA user_version"_s) || !query.next()) {
        return QStringLiteral("Cannot read the history file: %1").arg(describe(query));
    }
    const int version = query.value(0).toInt();
    query.finish();
    if (version > kSchemaVersion) {
        return QStringLiteral("The history file %1 was written by a newer ChatQueue (schema %2; "
                              "this version reads up to %3). Update ChatQueue to open it.")
                .arg(m_filePath)
                .arg(version)
                .arg(kSchemaVersion);
    }
    if (version == kSchemaVersion) {
        return {};
    }
    return inTransaction(db, u"Cannot prepare the history file: %1"_s, [this] {
        return upgradeSchema();
    });
}

Result<void, QString> HistoryStore::upgradeSchema()
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    const auto run = [&query](const QString &statement) -> Result<void, QString> {
        if (!query.exec(statement)) {
            return QStringLiteral("Cannot prepare the history file: %1").arg(describe(query));
        }
        return {};
    };

    // A new file gets the current tables; a file of schema 1 keeps its own.
    const QStringList tables{
            u"CREATE TABLE IF NOT EXISTS conversations ("
            "id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL DEFAULT '', "
            "created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, "
            "pinned INTEGER NOT NULL DEFAULT 0, system_prompt TEXT NOT NULL DEFAULT '', "
            "model TEXT NOT NULL DEFAULT '', deleted_at INTEGER NOT NULL DEFAULT 0, "
            "profile TEXT NOT NULL DEFAULT '', parameters TEXT NOT NULL DEFAULT '')"_s,
            u"CREATE TABLE IF NOT EXISTS messages ("
            "id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE, "
            "role TEXT NOT NULL, content TEXT NOT NULL DEFAULT '', "
            "reasoning TEXT NOT NULL DEFAULT '', job_id TEXT NOT NULL DEFAULT '', "
            "status TEXT NOT NULL DEFAULT '', usage TEXT NOT NULL DEFAULT '', "
            "timings TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, "
            "position INTEGER NOT NULL, parent_id INTEGER NOT NULL DEFAULT 0, "
            "selected_at INTEGER NOT NULL DEFAULT 0)"_s,
    };
    for (const QString &statement : tables) {
        if (auto done = run(statement); !done) {
            return done;
        }
    }

    // Schema 1 kept each conversation as a list: every message follows the one at the
    // position before it, and each is the only version of itself.
    QStringList upgrades;
    if (!hasColumn(u"messages"_s, u"parent_id"_s)) {
        upgrades << u"ALTER TABLE messages ADD COLUMN parent_id INTEGER NOT NULL DEFAULT 0"_s
                 << u"ALTER TABLE messages ADD COLUMN selected_at INTEGER NOT NULL DEFAULT 0"_s
                 << u"UPDATE messages SET selected_at = created_at, parent_id = COALESCE(("
                    "SELECT earlier.id FROM messages AS earlier "
                    "WHERE earlier.conversation_id = messages.conversation_id "
                    "AND earlier.position = messages.position - 1 "
                    "ORDER BY earlier.id DESC LIMIT 1), 0)"_s;
    }
    if (!hasColumn(u"conversations"_s, u"profile"_s)) {
        upgrades << u"ALTER TABLE conversations ADD COLUMN profile TEXT NOT NULL DEFAULT ''"_s;
    }
    if (!hasColumn(u"conversations"_s, u"parameters"_s)) {
        upgrades << u"ALTER TABLE conversations ADD COLUMN parameters TEXT NOT NULL "
                    "DEFAULT ''"_s;
    }
    upgrades << u"CREATE INDEX IF NOT EXISTS messages_by_conversation "
                "ON messages(conversation_id, position)"_s
             << u"CREATE INDEX IF NOT EXISTS messages_by_parent "
                "ON messages(conversation_id, parent_id, selected_at, role, position)"_s
             << u"CREATE INDEX IF NOT EXISTS conversations_by_order "
                "ON conversations(deleted_at, pinned, updated_at)"_s
             << u"PRAGMA user_version=%1"_s.arg(kSchemaVersion);
    for (const QString &statement : upgrades) {
        if (auto done = run(statement); !done) {
            return done;
        }
    }
    qCInfo(lcHistory) << "history schema is now version" << kSchemaVersion;
    return {};
}

bool HistoryStore::hasColumn(const QString &table, const QString &column) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(u"SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?"_s);
    query.addBindValue(table);
    query.addBindValue(column);
    return query.exec() && query.next() && query.value(0).toInt() > 0;
}

Result<Conversation, QString> HistoryStore::createConversation(const QString &title,
                                                               const QString &systemPrompt,
                                                               const QString &model,
                                                               const QString &profile,
                                                               const QJsonObject &parameters)
{
    Conversation conversation;
    conversation.title = title;
    conversation.systemPrompt = systemPrompt;
    conversation.model = model;
    conversation.profile = profile;
    conversation.parameters = parameters;
    conversation.createdAtMs = nowMs();
    conversation.updatedAtMs = conversation.createdAtMs;

    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(u"INSERT INTO conversations (title, created_at, updated_at, system_prompt, "
                  "model, profile, parameters) VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
    query.addBindValue(bindText(title));
    query.addBindValue(conversation.createdAtMs);
    query.addBindValue(conversation.updatedAtMs);
    query.addBindValue(bindText(systemPrompt));
    query.addBindValue(bindText(model));
    query.addBindValue(bindText(profile));
    query.addBindValue(bindText(toJsonText(parameters)));
    if (!query.exec()) {
        return QStringLiteral("Cannot create a conversation: %1").arg(describe(query));
    }
    conversation.id = query.lastInsertId().toLongLong();
    return conversation;
}

std::optional<Conversation> HistoryStore::conversation(qint64 id) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(u"SELECT %1 FROM conversations WHERE id = ?"_s.arg(kConversationColumns));
    query.addBindValue(id);
    if (!query.exec() || !query.next()) {
        return std::nullopt;
    }
    return readConversation(query);
}

QList<Conversation> HistoryStore::conversations() const
{
    return queryConversations({});
}

QList<Conversation> HistoryStore::search(const QString &text) const
{
    return queryConversations(text.isEmpty() ? QString() : containsPattern(text));
}

QList<Conversation> HistoryStore::queryConversations(const QString &likePattern) const
{
    QString sql = u"SELECT %1 FROM conversations WHERE deleted_at = 0"_s.arg(kConversationColumns);
    if (!likePattern.isEmpty()) {
        sql += u" AND (title LIKE :p ESCAPE '\\' OR id IN (SELECT conversation_id FROM "
               "messages WHERE content LIKE :p ESCAPE '\\'))"_s;
    }
    sql += u" ORDER BY pinned DESC, updated_at DESC, id DESC"_s;

    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(sql);
    if (!likePattern.isEmpty()) {
        query.bindValue(u":p"_s, likePattern);
    }
    QList<Conversation> result;
    if (!query.exec()) {
        qCWarning(lcHistory) << "cannot list conversations:" << describe(query);
        return result;
    }
    while (query.next()) {
        result.append(readConversation(query));
    }
    return result;
}

Result<void, QString> HistoryStore::rename(qint64 id, const QString &title)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(u"UPDATE conversations SET title = ? WHERE id = ?"_s);
    query.addBindValue(bindText(title));
    query.addBindValue(id);
    if (!query.exec()) {
        return QStringLiteral("Cannot rename the conversation: %1").arg(describe(query));
    }
    return {};
}

Result<void, QString> HistoryStore::setPinned(qint64 id, bool pinned)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(u"UPDATE conversations SET pinned = ? WHERE id = ?"_s);
    query.addBindValue(pinned ? 1 : 0);
    query.addBindValue(id);
    if (!query.exec()) {
        return QStringLiteral("Cannot pin the conversation: %1").arg(describe(query));
    }
    return {};
}

Result<void, QString> HistoryStore::setConversationSettings(qint64 id,
                                                            const QString &profile,
                                                            const QString &model,
                                                            const QString &systemPrompt,
                                                            const QJsonObject &parameters)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(u"UPDATE conversations SET profile = ?, model = ?, system_prompt = ?, "
                  "parameters = ? WHERE id = ?"_s);
    query.addBindValue(bindText(profile));
    query.addBindValue(bindText(model));
    query.addBindValue(bindText(systemPrompt));
    query.addBindValue(bindText(toJsonText(parameters)));
    query.addBindValue(id);
    if (!query.exec()) {
        return QStringLiteral("Cannot store the conversation's settings: %1").arg(describe(query));
    }
    if (query.numRowsAffected() < 1) {
        return QStringLiteral("There is no conversation %1 to change.").arg(id);
    }
    return {};
}

Result<void, QString> HistoryStore::remove(qint64 id)
{
    return setDeletedAt(id, nowMs());
}

Result<void, QString> HistoryStore::restore(qint64 id)
{
    return setDeletedAt(id, 0);
}

Result<void, QString> HistoryStore::setDeletedAt(qint64 id, qint64 deletedAtMs)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(u"UPDATE conversations SET deleted_at = ? WHERE id = ?"_s);
    query.addBindValue(deletedAtMs);
    query.addBindValue(id);
    if (!query.exec()) {
        return QStringLiteral("Cannot delete or restore the conversation: %1").arg(describe(query));
    }
    return {};
}

Result<void, QString> HistoryStore::purge(qint64 id)
{
    // Messages go with their conversation through ON DELETE CASCADE.
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(u"DELETE FROM conversations WHERE id = ?"_s);
    query.addBindValue(id);
    if (!query.exec()) {
        return QStringLiteral("Cannot remove the conversation: %1").arg(describe(query));
    }
    return {};
}

Result<Conversation, QString>
HistoryStore::importConversation(Conversation conversation, const QList<HistoryMessage> &messages)
{
    const qint64 now = nowMs();
    conversation.createdAtMs = conversation.createdAtMs > 0 ? conversation.createdAtMs : now;
    conversation.updatedAtMs = conversation.updatedAtMs > 0 ? conversation.updatedAtMs : now;
    conversation.deletedAtMs = 0;

    // All or nothing: a half-imported conversation would look complete in the list.
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction()) {
        return QStringLiteral("Cannot import the conversation: %1").arg(db.lastError().text());
    }
    QSqlQuery query(db);
    query.prepare(u"INSERT INTO conversations (title, created_at, updated_at, pinned, "
                  "system_prompt, model, profile, parameters) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s);
    query.addBindValue(bindText(conversation.title));
    query.addBindValue(conversation.createdAtMs);
    query.addBindValue(conversation.updatedAtMs);
    query.addBindValue(conversation.pinned ? 1 : 0);
    query.addBindValue(bindText(conversation.systemPrompt));
    query.addBindValue(bindText(conversation.model));
    query.addBindValue(bindText(conversation.profile));
    query.addBindValue(bindText(toJsonText(conversation.parameters)));
    bool ok = query.exec();
    QString error = ok ? QString() : describe(query);
    conversation.id = query.lastInsertId().toLongLong();

    // Each message follows the one before it, as the only version of itself.
    int position = 0;
    qint64 parentId = 0;
    for (const HistoryMessage &message : messages) {
        if (!ok) {
            break;
        }
        const qint64 createdAtMs = message.createdAtMs > 0 ? message.createdAtMs : now;
        QSqlQuery insert(db);
        insert.prepare(u"INSERT INTO messages (conversation_id, role, content, reasoning, "
                       "job_id, status, usage, timings, created_at, position, parent_id, "
                       "selected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
        insert.addBindValue(conversation.id);
        insert.addBindValue(bindText(message.role));
        insert.addBindValue(bindText(message.content));
        insert.addBindValue(bindText(message.reasoning));
        insert.addBindValue(bindText(message.jobId));
        insert.addBindValue(bindText(message.status));
        insert.addBindValue(bindText(toJsonText(message.usage)));
        insert.addBindValue(bindText(toJsonText(message.timings)));
        insert.addBindValue(createdAtMs);
        insert.addBindValue(position++);
        insert.addBindValue(parentId);
        insert.addBindValue(createdAtMs);
        ok = insert.exec();
        error = ok ? QString() : describe(insert);
        parentId = insert.lastInsertId().toLongLong();
    }

    if (!ok || !db.commit()) {
        const QString reason = ok ? db.lastError().text() : error;
        db.rollback();
        return QStringLiteral("Cannot import the conversation: %1").arg(reason);
    }
    return conversation;
}

Result<void, QString> HistoryStore::purgeDeleted()
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(u"DELETE FROM conversations WHERE deleted_at != 0"_s)) {
        return QStringLiteral("Cannot remove deleted conversations: %1").arg(describe(query));
    }
    return {};
}

Result<HistoryMessage, QString> HistoryStore::addMessage(HistoryMessage message)
{
    // The end of the shown path is found in the transaction that writes after it.
    // TODO: reads every row of the conversation (about 5 ms at 2,000 turns); keep the tail.
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    return inTransaction(db, u"Cannot store the message: %1"_s, [&] {
        const QList<HistoryMessage> rows =
                queryMessages(u"conversation_id = ?"_s, {message.conversationId}, false);
        const QList<HistoryMessage> path = MessageTree(rows).shownPath();
        return insertReply(message, path.isEmpty() ? 0 : path.last().id);
    });
}

Result<HistoryMessage, QString> HistoryStore::addReply(HistoryMessage message, qint64 parentId)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    return inTransaction(db, u"Cannot store the message: %1"_s, [&] {
        return insertReply(message, parentId);
    });
}

Result<HistoryMessage, QString> HistoryStore::insertReply(HistoryMessage message, qint64 parentId)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    message.parentId = parentId;
    message.position = 0;
    if (parentId != 0) {
        const std::optional<HistoryMessage> parent = this->message(parentId);
        if (!parent) {
            return QStringLiteral("Cannot store the message: the message %1 it follows does "
                                  "not exist.")
                    .arg(parentId);
        }
        if (message.conversationId == 0) {
            message.conversationId = parent->conversationId;
        }
        if (parent->conversationId != message.conversationId) {
            return QStringLiteral("Cannot store the message: the message %1 it follows belongs "
                                  "to another conversation.")
                    .arg(parentId);
        }
        message.position = parent->position + 1;
    }

    // Selected after every sibling, so the new version is the one shown.
    QSqlQuery latest(db);
    latest.prepare(u"SELECT COALESCE(MAX(selected_at), 0) FROM messages "
                   "WHERE conversation_id = ? AND parent_id = ?"_s);
    latest.addBindValue(message.conversationId);
    latest.addBindValue(parentId);
    if (!latest.exec() || !latest.next()) {
        return QStringLiteral("Cannot store the message: %1").arg(describe(latest));
    }
    message.createdAtMs = nowMs();
    message.selectedAtMs = selectionTimeAbove(latest.value(0).toLongLong());

    QSqlQuery query(db);
    query.prepare(u"INSERT INTO messages (conversation_id, role, content, reasoning, job_id, "
                  "status, usage, timings, created_at, position, parent_id, selected_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    query.addBindValue(message.conversationId);
    query.addBindValue(bindText(message.role));
    query.addBindValue(bindText(message.content));
    query.addBindValue(bindText(message.reasoning));
    query.addBindValue(bindText(message.jobId));
    query.addBindValue(bindText(message.status));
    query.addBindValue(bindText(toJsonText(message.usage)));
    query.addBindValue(bindText(toJsonText(message.timings)));
    query.addBindValue(message.createdAtMs);
    query.addBindValue(message.position);
    query.addBindValue(message.parentId);
    query.addBindValue(message.selectedAtMs);
    if (!query.exec()) {
        return QStringLiteral("Cannot store the message: %1").arg(describe(query));
    }
    message.id = query.lastInsertId().toLongLong();

    QSqlQuery touch(db);
    touch.prepare(u"UPDATE conversations SET updated_at = ? WHERE id = ?"_s);
    touch.addBindValue(message.createdAtMs);
    touch.addBindValue(message.conversationId);
    if (!touch.exec()) {
        return QStringLiteral("Cannot store the message: %1").arg(describe(touch));
    }

    fillVersion(message);
    return message;
}

Result<void, QString> HistoryStore::updateMessage(qint64 id,
                                                  const QString &content,
                                                  const QString &reasoning,
                                                  const QString &status)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(u"UPDATE messages SET content = ?, reasoning = ?, status = ? WHERE id = ?"_s);
    query.addBindValue(bindText(content));
    query.addBindValue(bindText(reasoning));
    query.addBindValue(bindText(status));
    query.addBindValue(id);
    if (!query.exec()) {
        return QStringLiteral("Cannot store the answer: %1").arg(describe(query));
    }
    return {};
}

Result<void, QString> HistoryStore::finishMessage(const HistoryMessage &message)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(u"UPDATE messages SET content = ?, reasoning = ?, status = ?, usage = ?, "
                  "timings = ? WHERE id = ?"_s);
    query.addBindValue(bindText(message.content));
    query.addBindValue(bindText(message.reasoning));
    query.addBindValue(bindText(message.status));
    query.addBindValue(bindText(toJsonText(message.usage)));
    query.addBindValue(bindText(toJsonText(message.timings)));
    query.addBindValue(message.id);
    if (!query.exec()) {
        return QStringLiteral("Cannot store the answer: %1").arg(describe(query));
    }
    return {};
}

std::optional<HistoryMessage> HistoryStore::message(qint64 id) const
{
    QList<HistoryMessage> found = queryMessages(u"id = ?"_s, {id});
    if (found.isEmpty()) {
        return std::nullopt;
    }
    fillVersion(found.first());
    return found.first();
}

QList<HistoryMessage> HistoryStore::messages(qint64 conversationId) const
{
    return MessageTree(queryMessages(u"conversation_id = ?"_s, {conversationId})).shownPath();
}

QList<HistoryMessage> HistoryStore::versions(qint64 messageId) const
{
    const std::optional<HistoryMessage> target = message(messageId);
    if (!target) {
        return {};
    }
    QList<HistoryMessage> result =
            queryMessages(u"conversation_id = ? AND parent_id = ? AND role = ? ORDER BY id"_s,
                          {target->conversationId, target->parentId, target->role});
    for (qsizetype i = 0; i < result.size(); ++i) {
        result[i].versionIndex = int(i);
        result[i].versionCount = int(result.size());
    }
    return result;
}

Result<void, QString> HistoryStore::selectVersion(qint64 messageId)
{
    const std::optional<HistoryMessage> target = message(messageId);
    if (!target) {
        return QStringLiteral("There is no message %1 to show.").arg(messageId);
    }

    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    return inTransaction(db, u"Cannot show the version: %1"_s, [&]() -> Result<void, QString> {
        const MessageTree tree(
                queryMessages(u"conversation_id = ?"_s, {target->conversationId}, false));

        // From the version up to the root level, every message not yet shown becomes the
        // shown child of its parent, so the version ends up on the shown path.
        QList<std::pair<qint64, qint64>> selections; // message id, selected at
        const HistoryMessage *node = tree.find(messageId);
        // Bounded by the number of rows, which also ends a cycle in a damaged file.
        for (qsizetype step = 0; node && step < tree.size(); ++step) {
            const HistoryMessage *shown = tree.shownChild(node->parentId);
            if (node->id == messageId || shown != node) {
                selections.append(
                        {node->id, selectionTimeAbove(tree.latestSelection(node->parentId))});
            }
            node = node->parentId == 0 ? nullptr : tree.find(node->parentId);
        }

        QSqlQuery query(db);
        query.prepare(u"UPDATE messages SET selected_at = ? WHERE id = ?"_s);
        for (const auto &[id, selectedAtMs] : selections) {
            query.addBindValue(selectedAtMs);
            query.addBindValue(id);
            if (!query.exec()) {
                return QStringLiteral("Cannot show the version: %1").arg(describe(query));
            }
        }
        return {};
    });
}

Result<void, QString> HistoryStore::deleteMessage(qint64 messageId)
{
    const std::optional<HistoryMessage> target = message(messageId);
    if (!target) {
        return QStringLiteral("There is no message %1 to delete.").arg(messageId);
    }

    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    return inTransaction(db, u"Cannot delete the message: %1"_s, [&]() -> Result<void, QString> {
        QStringList statements;
        if (target->versionCount > 1) {
            // One version of several: its branch goes with it.
            statements << kSubtree + u"DELETE FROM messages WHERE id IN (SELECT id FROM subtree)"_s;
        } else {
            // The only version: the turns after it move up one level and stay.
            statements << kSubtree
                                  + u"UPDATE messages SET position = position - 1 "
                                    "WHERE id IN (SELECT id FROM subtree) AND id != :m"_s
                       << u"UPDATE messages SET parent_id = :p "
                          "WHERE conversation_id = :c AND parent_id = :m"_s
                       << u"DELETE FROM messages WHERE id = :m"_s;
        }

        for (const QString &statement : statements) {
            QSqlQuery query(db);
            query.prepare(statement);
            const std::pair<QString, qint64> values[] = {
                    {u":m"_s, messageId},
                    {u":c"_s, target->conversationId},
                    {u":p"_s, target->parentId},
            };
            for (const auto &[name, value] : values) {
                if (statement.contains(name)) {
                    query.bindValue(name, value);
                }
            }
            if (!query.exec()) {
                return QStringLiteral("Cannot delete the message: %1").arg(describe(query));
            }
        }
        return {};
    });
}

QList<HistoryMessage> HistoryStore::unfinishedMessages() const
{
    return queryMessages(
            u"job_id != '' AND status IN ('queued', 'running') ORDER BY conversation_id, id"_s,
            {});
}

QList<qint64> HistoryStore::versionIds(const HistoryMessage &message) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(u"SELECT id FROM messages WHERE conversation_id = ? AND parent_id = ? "
                  "AND role = ? ORDER BY id"_s);
    query.addBindValue(message.conversationId);
    query.addBindValue(message.parentId);
    query.addBindValue(bindText(message.role));
    QList<qint64> ids;
    if (!query.exec()) {
        qCWarning(lcHistory) << "cannot read versions:" << describe(query);
        return ids;
    }
    while (query.next()) {
        ids.append(query.value(0).toLongLong());
    }
    return ids;
}

void HistoryStore::fillVersion(HistoryMessage &message) const
{
    const QList<qint64> ids = versionIds(message);
    message.versionIndex = int(std::max<qsizetype>(ids.indexOf(message.id), 0));
    message.versionCount = int(std::max<qsizetype>(ids.size(), 1));
}

QList<HistoryMessage> HistoryStore::queryMessages(const QString &condition,
                                                  const QVariantList &values,
                                                  bool withText) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    const QString columns = withText ? kMessageColumns : kMessageTreeColumns;
    query.prepare(u"SELECT %1 FROM messages WHERE %2"_s.arg(columns, condition));
    for (const QVariant &value : values) {
        query.addBindValue(value);
    }
    QList<HistoryMessage> result;
    if (!query.exec()) {
        qCWarning(lcHistory) << "cannot read messages:" << describe(query);
        return result;
    }
    while (query.next()) {
        result.append(withText ? readMessage(query) : readTreeNode(query));
    }
    return result;
}
