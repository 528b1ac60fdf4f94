#pragma once

#include "core/queue/jobrecord.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <functional>

// The jobs of a queue as the queue view lists them, newest first. update() merges a fresh
// listing into the rows in place — changed rows are updated, new jobs inserted, vanished
// ones removed — so that a view's selection and scroll position survive each poll.
class JobTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        StatusColumn,
        ProfileColumn,
        ModelColumn,
        WorkerColumn,
        FirstTokenColumn,
        TokensPerSecondColumn,
        DurationColumn,
        ColumnCount,
    };

    enum Role {
        JobIdRole = Qt::UserRole + 1, // the full job id
        StatusRole,                   // the JobStatus as an int
    };

    explicit JobTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Merges `jobs` (newest first, as JobQueue::listJobs returns them) into the rows.
    void update(const QList<JobRecord> &jobs);

    // The row of a job, -1 when it is not listed.
    int rowOf(const QString &jobId) const;
    const JobRecord &recordAt(int row) const;

    // The clock running jobs are measured against; tests may fix it.
    void setClock(std::function<qint64()> nowMs);

    // Text for the cells, also used by tooltips and tests.
    static QString statusText(JobStatus status);
    static QString formatSeconds(qint64 ms);

    // Seconds from the start of the attempt to its first token, -1 while unknown.
    static qint64 firstTokenMs(const JobRecord &record);
    // Completion tokens per second of streaming (first token to finish), -1 while unknown.
    static double tokensPerSecond(const JobRecord &record);

private:
    QVariant displayText(const JobRecord &record, int column) const;
    qint64 durationMs(const JobRecord &record) const;
    void reindex();

    QList<JobRecord> m_jobs;
    QHash<QString, int> m_rows;
    std::function<qint64()> m_nowMs;
};
