#include "ui/queue/jobtablemodel.h"

#include <QDateTime>
#include <QLocale>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Whether a row shows something else after `next` replaces `previous`. Running jobs always
// change: their duration grows with the clock.
bool rowChanged(const JobRecord &previous, const JobRecord &next)
{
    return previous.status != next.status || previous.worker != next.worker
           || previous.attempts != next.attempts || previous.startedAtMs != next.startedAtMs
           || previous.firstTokenAtMs != next.firstTokenAtMs
           || previous.finishedAtMs != next.finishedAtMs || previous.usage != next.usage
           || previous.request.profile != next.request.profile
           || previous.request.model != next.request.model || next.status == JobStatus::Running;
}

} // namespace

JobTableModel::JobTableModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_nowMs([] { return QDateTime::currentMSecsSinceEpoch(); })
{}

int JobTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_jobs.size());
}

int JobTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_jobs.size()) {
        return {};
    }
    const JobRecord &record = m_jobs.at(index.row());

    switch (role) {
    case Qt::DisplayRole:
        return displayText(record, index.column());
    case Qt::ToolTipRole:
        if (index.column() == IdColumn) {
            return record.id;
        }
        if (index.column() == StatusColumn && record.error) {
            return record.error->toDisplayString();
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() >= FirstTokenColumn) {
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    case JobIdRole:
        return record.id;
    case StatusRole:
        return static_cast<int>(record.status);
    default:
        return {};
    }
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case IdColumn:
        return tr("Job");
    case StatusColumn:
        return tr("Status");
    case ProfileColumn:
        return tr("Profile");
    case ModelColumn:
        return tr("Model");
    case WorkerColumn:
        return tr("Worker");
    case FirstTokenColumn:
        return tr("First token");
    case TokensPerSecondColumn:
        return tr("Tokens/s");
    case DurationColumn:
        return tr("Duration");
    default:
        return {};
    }
}

QVariant JobTableModel::displayText(const JobRecord &record, int column) const
{
    switch (column) {
    case IdColumn:
        return record.id.left(8);
    case StatusColumn:
        return statusText(record.status);
    case ProfileColumn:
        return record.request.profile;
    case ModelColumn:
        return record.request.model;
    case WorkerColumn:
        return record.worker;
    case FirstTokenColumn: {
        const qint64 ms = firstTokenMs(record);
        return ms < 0 ? QString() : formatSeconds(ms);
    }
    case TokensPerSecondColumn: {
        const double rate = tokensPerSecond(record);
        return rate < 0 ? QString() : QLocale().toString(rate, 'f', 1);
    }
    case DurationColumn: {
        const qint64 ms = durationMs(record);
        return ms < 0 ? QString() : formatSeconds(ms);
    }
    default:
        return {};
    }
}

void JobTableModel::update(const QList<JobRecord> &jobs)
{
    QSet<QString> listed;
    for (const JobRecord &record : jobs) {
        listed.insert(record.id);
    }

    // Jobs that left the listing (expired, or older than the limit) go first.
    for (int row = static_cast<int>(m_jobs.size()) - 1; row >= 0; --row) {
        if (!listed.contains(m_jobs.at(row).id)) {
            beginRemoveRows({}, row, row);
            m_jobs.removeAt(row);
            endRemoveRows();
        }
    }
    reindex();

    // Then the listing is walked in order: a job already at its place is updated, one listed
    // further down moves up, a new one is inserted where it belongs.
    for (int row = 0; row < jobs.size(); ++row) {
        const JobRecord &next = jobs.at(row);
        const int current = rowOf(next.id);
        if (current == row) {
            if (rowChanged(m_jobs.at(row), next)) {
                m_jobs[row] = next;
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            }
            continue;
        }
        if (current > row) {
            beginMoveRows({}, current, current, {}, row);
            m_jobs.move(current, row);
            endMoveRows();
            m_jobs[row] = next;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        } else if (current < 0) {
            beginInsertRows({}, row, row);
            m_jobs.insert(row, next);
            endInsertRows();
        }
        reindex();
    }
}

int JobTableModel::rowOf(const QString &jobId) const
{
    return m_rows.value(jobId, -1);
}

const JobRecord &JobTableModel::recordAt(int row) const
{
    return m_jobs.at(row);
}

void JobTableModel::setClock(std::function<qint64()> nowMs)
{
    m_nowMs = std::move(nowMs);
}

QString JobTableModel::statusText(JobStatus status)
{
    switch (status) {
    case JobStatus::Queued:
        return tr("queued");
    case JobStatus::Running:
        return tr("running");
    case JobStatus::Succeeded:
        return tr("succeeded");
    case JobStatus::Failed:
        return tr("failed");
    case JobStatus::Cancelled:
        return tr("cancelled");
    }
    return {};
}

QString JobTableModel::formatSeconds(qint64 ms)
{
    if (ms < 60'000) {
        return tr("%1 s").arg(QLocale().toString(static_cast<double>(ms) / 1000.0, 'f', 1));
    }
    const qint64 seconds = ms / 1000;
    return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
}

qint64 JobTableModel::firstTokenMs(const JobRecord &record)
{
    if (record.firstTokenAtMs <= 0 || record.startedAtMs <= 0) {
        return -1;
    }
    return std::max<qint64>(0, record.firstTokenAtMs - record.startedAtMs);
}

double JobTableModel::tokensPerSecond(const JobRecord &record)
{
    if (record.finishedAtMs <= record.firstTokenAtMs || record.firstTokenAtMs <= 0
        || record.usage.completionTokens <= 0) {
        return -1;
    }
    const double seconds =
            static_cast<double>(record.finishedAtMs - record.firstTokenAtMs) / 1000.0;
    return static_cast<double>(record.usage.completionTokens) / seconds;
}

qint64 JobTableModel::durationMs(const JobRecord &record) const
{
    if (record.startedAtMs <= 0) {
        return -1;
    }
    if (record.finishedAtMs > 0) {
        return std::max<qint64>(0, record.finishedAtMs - record.startedAtMs);
    }
    if (record.status == JobStatus::Running) {
        return std::max<qint64>(0, m_nowMs() - record.startedAtMs);
    }
    return -1;
}

void JobTableModel::reindex()
{
    m_rows.clear();
    for (int row = 0; row < m_jobs.size(); ++row) {
        m_rows.insert(m_jobs.at(row).id, row);
    }
}
