#include "core/store/historystore.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHistory, "chatqueue.history")

namespace {

constexpr int kSchemaVersion = 1;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
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
    return message;
}

const QString kConversationColumns =
        u"id, title, created_at, updated_at, pinned, system_prompt, model, deleted_at"_s;
const QString kMessageColumns = u"id, conversation_id, role, content, reasoning, job_id, "
                                "status, usage, timings, created_at, position"_s;

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
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    const QStringList statements{
            u"PRAGMA journal_mode=WAL"_s,
            u"PRAGMA synchronous=NORMAL"_s,
            u"PRAGMA foreign_keys=ON"_s,
            u"CREATE TABLE IF NOT EXISTS conversations ("
            "id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL DEFAULT '', "
            "created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, "
            "pinned INTEGER NOT NULL DEFAULT 0, system_prompt TEXT NOT NULL DEFAULT '', "
            "model TEXT NOT NULL DEFAULT '', deleted_at INTEGER NOT NULL DEFAULT 0)"_s,
            u"CREATE TABLE IF NOT EXISTS messages ("
            "id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE, "
            "role TEXT NOT NULL, content TEXT NOT NULL DEFAULT '', "
            "reasoning TEXT NOT NULL DEFAULT '', job_id TEXT NOT NULL DEFAULT '', "
            "status TEXT NOT NULL DEFAULT '', usage TEXT NOT NULL DEFAULT '', "
            "timings TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, "
            "position INTEGER NOT NULL)"_s,
            u"CREATE INDEX IF NOT EXISTS messages_by_conversation "
            "ON messages(conversation_id, position)"_s,
            u"CREATE INDEX IF NOT EXISTS conversations_by_order "
            "ON conversations(deleted_at, pinned, updated_at)"_s,
            u"PRAGMA user_version=%1"_s.arg(kSchemaVersion),
    };
    for (const QString &statement : statements) {
        if (!query.exec(statement)) {
            return QStringLiteral("Cannot prepare the history file: %1").arg(describe(query));
        }
    }
    return {};
}

Result<Conversation, QString> HistoryStore::createConversation(const QString &title,
                                                               const QString &systemPrompt,
                                                               const QString &model)
{
    Conversation conversation;
    conversation.title = title;
    conversation.systemPrompt = systemPrompt;
    conversation.model = model;
    conversation.createdAtMs = nowMs();
    conversation.updatedAtMs = conversation.createdAtMs;

    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(u"INSERT INTO conversations (title, created_at, updated_at, system_prompt, "
                  "model) VALUES (?, ?, ?, ?, ?)"_s);
    query.addBindValue(bindText(title));
    query.addBindValue(conversation.createdAtMs);
    query.addBindValue(conversation.updatedAtMs);
    query.addBindValue(bindText(systemPrompt));
    query.addBindValue(bindText(model));
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

Result<Conversation, QString> HistoryStore::importConversation(
        Conversation conversation, const QList<HistoryMessage> &messages)
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
                  "system_prompt, model) VALUES (?, ?, ?, ?, ?, ?)"_s);
    query.addBindValue(bindText(conversation.title));
    query.addBindValue(conversation.createdAtMs);
    query.addBindValue(conversation.updatedAtMs);
    query.addBindValue(conversation.pinned ? 1 : 0);
    query.addBindValue(bindText(conversation.systemPrompt));
    query.addBindValue(bindText(conversation.model));
    bool ok = query.exec();
    QString error = ok ? QString() : describe(query);
    conversation.id = query.lastInsertId().toLongLong();

    int position = 0;
    for (const HistoryMessage &message : messages) {
        if (!ok) {
            break;
        }
        QSqlQuery insert(db);
        insert.prepare(u"INSERT INTO messages (conversation_id, role, content, reasoning, "
                       "job_id, status, usage, timings, created_at, position) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
        insert.addBindValue(conversation.id);
        insert.addBindValue(bindText(message.role));
        insert.addBindValue(bindText(message.content));
        insert.addBindValue(bindText(message.reasoning));
        insert.addBindValue(bindText(message.jobId));
        insert.addBindValue(bindText(message.status));
        insert.addBindValue(bindText(toJsonText(message.usage)));
        insert.addBindValue(bindText(toJsonText(message.timings)));
        insert.addBindValue(message.createdAtMs > 0 ? message.createdAtMs : now);
        insert.addBindValue(position++);
        ok = insert.exec();
        error = ok ? QString() : describe(insert);
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
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    message.createdAtMs = nowMs();

    // The position and the conversation's new time are written with the message, in one
    // transaction, so a crash never leaves a message without its place.
    if (!db.transaction()) {
        return QStringLiteral("Cannot store the message: %1").arg(db.lastError().text());
    }
    QSqlQuery query(db);
    query.prepare(u"INSERT INTO messages (conversation_id, role, content, reasoning, job_id, "
                  "status, usage, timings, created_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, "
                  "?, ?, (SELECT COALESCE(MAX(position) + 1, 0) FROM messages "
                  "WHERE conversation_id = ?))"_s);
    query.addBindValue(message.conversationId);
    query.addBindValue(bindText(message.role));
    query.addBindValue(bindText(message.content));
    query.addBindValue(bindText(message.reasoning));
    query.addBindValue(bindText(message.jobId));
    query.addBindValue(bindText(message.status));
    query.addBindValue(bindText(toJsonText(message.usage)));
    query.addBindValue(bindText(toJsonText(message.timings)));
    query.addBindValue(message.createdAtMs);
    query.addBindValue(message.conversationId);
    bool ok = query.exec();
    message.id = query.lastInsertId().toLongLong();
    QString error = ok ? QString() : describe(query);

    if (ok) {
        QSqlQuery touch(db);
        touch.prepare(u"UPDATE conversations SET updated_at = ? WHERE id = ?"_s);
        touch.addBindValue(message.createdAtMs);
        touch.addBindValue(message.conversationId);
        ok = touch.exec();
        error = ok ? QString() : describe(touch);
    }
    if (!ok || !db.commit()) {
        db.rollback();
        return QStringLiteral("Cannot store the message: %1")
                .arg(ok ? db.lastError().text() : error);
    }

    if (const auto stored = this->message(message.id)) {
        message.position = stored->position;
    }
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
    const QList<HistoryMessage> found = queryMessages(u"id = ?"_s, {id});
    if (found.isEmpty()) {
        return std::nullopt;
    }
    return found.first();
}

QList<HistoryMessage> HistoryStore::messages(qint64 conversationId) const
{
    return queryMessages(u"conversation_id = ?"_s, {conversationId});
}

QList<HistoryMessage> HistoryStore::unfinishedMessages() const
{
    return queryMessages(u"job_id != '' AND status IN ('queued', 'running')"_s, {});
}

QList<HistoryMessage> HistoryStore::queryMessages(const QString &where,
                                                  const QVariantList &values) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(u"SELECT %1 FROM messages WHERE %2 ORDER BY conversation_id, position"_s.arg(
            kMessageColumns,
            where));
    for (const QVariant &value : values) {
        query.addBindValue(value);
    }
    QList<HistoryMessage> result;
    if (!query.exec()) {
        qCWarning(lcHistory) << "cannot read messages:" << describe(query);
        return result;
    }
    while (query.next()) {
        result.append(readMessage(query));
    }
    return result;
}
