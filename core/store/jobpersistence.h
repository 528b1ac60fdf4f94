#pragma once

#include "core/queue/jobrecord.h"
#include "core/util/result.h"

#include <QList>
#include <QString>

#include <memory>

class QThread;
class QObject;

// Keeps the in-process queue's jobs in a SQLite file (one row per job: id, status and the
// record as JSON, request included), so jobs queued or running when the process ends are
// found again on the next start. Finished jobs are kept too, up to a bound, so their
// records can still be read after a restart.
//
// All SQL runs on one dedicated thread that owns the only connection to the file: Qt SQL
// connections are bound to the thread that opened them, and a write (with its fsync) then
// never stalls the thread that submits, which may be the UI thread. save() only queues the
// write. The price: a write queued in the last milliseconds before a crash can be lost,
// so a job can come back one state behind (queued instead of running, which is harmless).
class JobPersistence
{
public:
    // Opens or creates the file and reads every row, waiting for that first read.
    // `keepFinished` bounds how many finished jobs stay in the file.
    static Result<std::unique_ptr<JobPersistence>, QString> open(const QString &filePath,
                                                                 int keepFinished = 1000);

    // Writes what is still queued, then closes the file.
    ~JobPersistence();

    JobPersistence(const JobPersistence &) = delete;
    JobPersistence &operator=(const JobPersistence &) = delete;

    // The jobs found when the file was opened, oldest first.
    const QList<JobRecord> &loadedJobs() const { return m_loaded; }

    // Inserts or updates the job's row. Thread-safe; returns before the write happens.
    void save(const JobRecord &record);

private:
    JobPersistence() = default;

    std::unique_ptr<QThread> m_thread;
    QObject *m_writer = nullptr;
    QList<JobRecord> m_loaded;
};
