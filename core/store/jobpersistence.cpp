#include "core/store/jobpersistence.h"

#include "core/queue/queuelog.h"

#include <QJsonDocument>
#include <QMetaObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

// Lives in the persistence thread and owns the connection, named uniquely per file opened so
// that several queues (tests, a second data folder) never share one.
class JobWriter : public QObject
{
public:
    explicit JobWriter(int keepFinished)
        : m_connectionName(u"chatqueue-jobs-"_s
                           + QUuid::createUuid().toString(QUuid::WithoutBraces))
        , m_keepFinished(keepFinished)
    {
    }

    // Opens the file and creates the table; an error message on failure.
    QString open(const QString &filePath)
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
        db.setDatabaseName(filePath);
        if (!db.open()) {
            return db.lastError().text();
        }

        // WAL keeps the file consistent across a crash with one fsync per checkpoint instead
        // of one per write; NORMAL is safe with WAL (a crash loses at most the last writes).
        const QStringList statements {
            u"PRAGMA journal_mode=WAL"_s,
            u"PRAGMA synchronous=NORMAL"_s,
            u"CREATE TABLE IF NOT EXISTS jobs ("
            u" id TEXT PRIMARY KEY,"
            u" status TEXT NOT NULL,"
            u" final INTEGER NOT NULL,"
            u" submitted_at INTEGER NOT NULL,"
            u" record TEXT NOT NULL)"_s,
            u"CREATE INDEX IF NOT EXISTS jobs_final ON jobs(final)"_s,
        };
        QSqlQuery query(db);
        for (const QString &statement : statements) {
            if (!query.exec(statement)) {
                return query.lastError().text();
            }
        }
        return QString();
    }

    QList<JobRecord> load()
    {
        QList<JobRecord> records;
        QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
        if (!query.exec(u"SELECT id, record FROM jobs ORDER BY rowid"_s)) {
            qCWarning(lcQueue) << "Cannot read saved jobs:" << query.lastError().text();
            return records;
        }

        while (query.next()) {
            const QJsonDocument document = QJsonDocument::fromJson(query.value(1).toByteArray());
            std::optional<JobRecord> record = JobRecord::fromJson(document.object());
            if (!record) {
                qCWarning(lcQueue) << "Skipping an unreadable saved job" << query.value(0);
                continue;
            }
            records.append(std::move(*record));
        }
        return records;
    }

    void save(const JobRecord &record)
    {
        QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
        query.prepare(u"INSERT INTO jobs (id, status, final, submitted_at, record)"
                      u" VALUES (?, ?, ?, ?, ?)"
                      u" ON CONFLICT(id) DO UPDATE SET status = excluded.status,"
                      u" final = excluded.final, record = excluded.record"_s);
        const bool final = isFinalStatus(record.status);
        query.addBindValue(record.id);
        query.addBindValue(jobStatusName(record.status));
        query.addBindValue(final ? 1 : 0);
        query.addBindValue(record.submittedAtMs);
        query.addBindValue(QString::fromUtf8(
                QJsonDocument(record.toJson()).toJson(QJsonDocument::Compact)));
        if (!query.exec()) {
            qCWarning(lcQueue) << "Cannot save job" << record.id << query.lastError().text();
            return;
        }

        if (final && ++m_finishedSincePrune >= kPruneEvery) {
            m_finishedSincePrune = 0;
            prune();
        }
    }

    void close()
    {
        QSqlDatabase::database(m_connectionName, false).close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }

private:
    // Drops the oldest finished jobs beyond the bound. Run every few finishes, not on each.
    void prune()
    {
        QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
        query.prepare(u"DELETE FROM jobs WHERE final = 1 AND rowid NOT IN"
                      u" (SELECT rowid FROM jobs WHERE final = 1 ORDER BY rowid DESC LIMIT ?)"_s);
        query.addBindValue(m_keepFinished);
        if (!query.exec()) {
            qCWarning(lcQueue) << "Cannot prune finished jobs:" << query.lastError().text();
        }
    }

    static constexpr int kPruneEvery = 50;

    QString m_connectionName;
    int m_keepFinished;
    int m_finishedSincePrune = kPruneEvery - 1; // prune once soon after opening
};

} // namespace

Result<std::unique_ptr<JobPersistence>, QString> JobPersistence::open(const QString &filePath,
                                                                      int keepFinished)
{
    std::unique_ptr<JobPersistence> persistence(new JobPersistence);
    persistence->m_thread = std::make_unique<QThread>();
    persistence->m_thread->setObjectName(u"chatqueue-jobs-db"_s);
    auto *writer = new JobWriter(keepFinished);
    writer->moveToThread(persistence->m_thread.get());
    persistence->m_writer = writer;
    persistence->m_thread->start();

    QString error;
    QMetaObject::invokeMethod(
            writer,
            [writer, filePath, &error, &persistence] {
                error = writer->open(filePath);
                if (error.isEmpty()) {
                    persistence->m_loaded = writer->load();
                }
            },
            Qt::BlockingQueuedConnection);

    if (!error.isEmpty()) {
        return QStringLiteral("Cannot open the job database %1: %2").arg(filePath, error);
    }
    return persistence;
}

JobPersistence::~JobPersistence()
{
    if (!m_thread) {
        return;
    }

    // Queued after every pending write, so those run first.
    auto *writer = static_cast<JobWriter *>(m_writer);
    QThread *thread = m_thread.get();
    QMetaObject::invokeMethod(
            writer,
            [writer, thread] {
                writer->close();
                thread->quit();
            },
            Qt::QueuedConnection);
    m_thread->wait();
    delete writer;
}

void JobPersistence::save(const JobRecord &record)
{
    auto *writer = static_cast<JobWriter *>(m_writer);
    QMetaObject::invokeMethod(
            writer, [writer, record] { writer->save(record); }, Qt::QueuedConnection);
}
