#include "ui/queue/queuepanel.h"

#include "ui/queue/jobtablemodel.h"
#include "ui/queue/queuesettingswidget.h"

#include <QAction>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLoggingCategory>
#include <QMenu>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

Q_LOGGING_CATEGORY(lcQueueView, "chatqueue.ui.queue")

namespace {

// A listing carries each job's whole record, answer included, once a second while the view
// is shown; the newest hundred jobs keep that small.
constexpr int kJobLimit = 100;

enum WorkerColumn {
    WorkerIdColumn,
    WorkerRunningColumn,
    WorkerProfilesColumn,
    WorkerHeartbeatColumn,
};

} // namespace

QueuePanel::QueuePanel(JobQueue *queue, QueueSettingsWidget *settings, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_jobs(new JobTableModel(this))
    , m_jobView(new QTableView(this))
    , m_workers(new QTreeWidget(this))
    , m_cancel(new QPushButton(tr("Cancel job"), this))
    , m_retry(new QPushButton(tr("Retry"), this))
    , m_menu(new QMenu(this))
    , m_error(new QLabel(this))
{
    m_jobView->setObjectName(u"queueJobs"_s);
    m_jobView->setModel(m_jobs);
    m_jobView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_jobView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_jobView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_jobView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_jobView->verticalHeader()->hide();
    m_jobView->horizontalHeader()->setStretchLastSection(true);
    m_jobView->setWordWrap(false);

    m_workers->setObjectName(u"queueWorkers"_s);
    m_workers->setRootIsDecorated(false);
    m_workers->setHeaderLabels({tr("Worker"), tr("Running"), tr("Profiles"), tr("Last heartbeat")});

    m_cancel->setToolTip(tr("Ask the queue to stop the selected job; a partial answer is kept"));
    m_retry->setToolTip(tr("Submit the selected job's request again as a new job"));
    QAction *cancelAction = m_menu->addAction(tr("Cancel job"), this, &QueuePanel::cancelSelected);
    QAction *retryAction = m_menu->addAction(tr("Retry"), this, &QueuePanel::retrySelected);
    m_menu->addSeparator();
    m_menu->addAction(tr("Refresh"), this, &QueuePanel::refresh);

    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_retry);
    buttons->addStretch(1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_jobView);
    splitter->addWidget(m_workers);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto *jobsPage = new QWidget(this);
    auto *jobsLayout = new QVBoxLayout(jobsPage);
    jobsLayout->setContentsMargins(4, 4, 4, 4);
    jobsLayout->addWidget(splitter, 1);
    jobsLayout->addLayout(buttons);
    jobsLayout->addWidget(m_error);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    if (settings) {
        auto *tabs = new QTabWidget(this);
        tabs->addTab(jobsPage, tr("Jobs"));
        tabs->addTab(settings, tr("Connection"));
        layout->addWidget(tabs);
    } else {
        layout->addWidget(jobsPage);
    }

    m_timer.setInterval(1s);
    connect(&m_timer, &QTimer::timeout, this, &QueuePanel::refresh);
    connect(m_cancel, &QPushButton::clicked, this, &QueuePanel::cancelSelected);
    connect(m_retry, &QPushButton::clicked, this, &QueuePanel::retrySelected);
    connect(m_jobView, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        const QModelIndex index = m_jobView->indexAt(at);
        if (!index.isValid()) {
            return;
        }
        m_jobView->selectRow(index.row());
        m_menu->popup(m_jobView->viewport()->mapToGlobal(at));
    });
    connect(m_jobView->selectionModel(),
            &QItemSelectionModel::selectionChanged,
            this,
            &QueuePanel::updateActions);
    connect(m_jobs, &QAbstractItemModel::dataChanged, this, &QueuePanel::updateActions);
    connect(m_menu, &QMenu::aboutToShow, this, [this, cancelAction, retryAction] {
        cancelAction->setEnabled(m_cancel->isEnabled());
        retryAction->setEnabled(m_retry->isEnabled());
    });
    updateActions();
}

JobTableModel *QueuePanel::jobModel() const
{
    return m_jobs;
}

QTableView *QueuePanel::jobView() const
{
    return m_jobView;
}

QTreeWidget *QueuePanel::workerList() const
{
    return m_workers;
}

QPushButton *QueuePanel::cancelButton() const
{
    return m_cancel;
}

QPushButton *QueuePanel::retryButton() const
{
    return m_retry;
}

QMenu *QueuePanel::jobMenu() const
{
    return m_menu;
}

QString QueuePanel::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void QueuePanel::setPollInterval(std::chrono::milliseconds interval)
{
    m_timer.setInterval(interval);
}

void QueuePanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_timer.start();
    refresh();
}

void QueuePanel::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer.stop();
}

void QueuePanel::refresh()
{
    if (m_polling) {
        m_pollAgain = true;
        return;
    }
    poll();
}

QCoro::Task<void> QueuePanel::poll()
{
    QPointer<QueuePanel> self(this);
    if (!m_queue) {
        co_return;
    }
    m_polling = true;

    const auto jobs = co_await m_queue->listJobs(kJobLimit);
    if (!self) {
        co_return;
    }
    if (!m_queue) {
        m_polling = false;
        co_return;
    }
    const auto workers = co_await m_queue->listWorkers();
    if (!self) {
        co_return;
    }

    if (jobs) {
        m_jobs->update(*jobs);
    }
    if (workers) {
        showWorkers(*workers);
    }
    if (!jobs) {
        showError(tr("Cannot list the jobs: %1").arg(jobs.error().message));
    } else if (!workers) {
        showError(tr("Cannot list the workers: %1").arg(workers.error().message));
    } else {
        showError(QString());
    }
    updateActions();
    m_polling = false;
    Q_EMIT refreshed();

    if (m_pollAgain) {
        m_pollAgain = false;
        refresh();
    }
}

void QueuePanel::showWorkers(const QList<WorkerStatus> &workers)
{
    // A handful of rows at most; they are updated by id so that nothing flickers.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSet<QString> listed;
    for (const WorkerStatus &worker : workers) {
        listed.insert(worker.id);
        QTreeWidgetItem *item = nullptr;
        for (int i = 0; i < m_workers->topLevelItemCount(); ++i) {
            if (m_workers->topLevelItem(i)->text(WorkerIdColumn) == worker.id) {
                item = m_workers->topLevelItem(i);
                break;
            }
        }
        if (!item) {
            item = new QTreeWidgetItem(m_workers);
            item->setText(WorkerIdColumn, worker.id);
        }
        item->setText(WorkerRunningColumn,
                      tr("%1 of %2").arg(worker.runningJobs.size()).arg(worker.concurrency));
        item->setToolTip(WorkerRunningColumn, worker.runningJobs.join(u'\n'));
        item->setText(WorkerProfilesColumn,
                      worker.profiles.isEmpty() ? tr("any") : worker.profiles.join(u", "_s));
        const qint64 age = std::max<qint64>(0, now - worker.lastBeatAtMs) / 1000;
        item->setText(WorkerHeartbeatColumn, tr("%1 s ago").arg(age));
    }
    for (int i = m_workers->topLevelItemCount() - 1; i >= 0; --i) {
        if (!listed.contains(m_workers->topLevelItem(i)->text(WorkerIdColumn))) {
            delete m_workers->takeTopLevelItem(i);
        }
    }
}

QString QueuePanel::selectedJobId() const
{
    const QModelIndexList rows = m_jobView->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        return {};
    }
    return rows.first().data(JobTableModel::JobIdRole).toString();
}

void QueuePanel::selectJob(const QString &jobId)
{
    const int row = m_jobs->rowOf(jobId);
    if (row < 0) {
        m_jobView->clearSelection();
        return;
    }
    m_jobView->selectRow(row);
}

void QueuePanel::updateActions()
{
    const QString jobId = selectedJobId();
    const int row = m_jobs->rowOf(jobId);
    const bool selected = row >= 0;
    m_cancel->setEnabled(selected && !isFinalStatus(m_jobs->recordAt(row).status));
    m_retry->setEnabled(selected);
}

void QueuePanel::cancelSelected()
{
    const QString jobId = selectedJobId();
    if (!jobId.isEmpty() && m_cancel->isEnabled()) {
        m_cancel->setEnabled(false);
        cancelJob(jobId);
    }
}

void QueuePanel::retrySelected()
{
    const QString jobId = selectedJobId();
    if (!jobId.isEmpty()) {
        retryJob(jobId);
    }
}

QCoro::Task<void> QueuePanel::cancelJob(QString jobId)
{
    QPointer<QueuePanel> self(this);
    if (!m_queue) {
        co_return;
    }
    qCInfo(lcQueueView) << "cancelling job" << jobId;
    const auto cancelled = co_await m_queue->cancel(jobId);
    if (!self) {
        co_return;
    }
    if (!cancelled) {
        showError(tr("Cannot cancel job %1: %2").arg(jobId.left(8), cancelled.error().message));
    }
    refresh();
}

QCoro::Task<void> QueuePanel::retryJob(QString jobId)
{
    QPointer<QueuePanel> self(this);
    const int row = m_jobs->rowOf(jobId);
    if (!m_queue || row < 0) {
        co_return;
    }
    ChatRequest request = m_jobs->recordAt(row).request;

    const auto submitted = co_await m_queue->submit(std::move(request));
    if (!self) {
        co_return;
    }
    if (!submitted) {
        showError(tr("Cannot submit the job again: %1").arg(submitted.error().message));
        co_return;
    }
    qCInfo(lcQueueView) << "job" << jobId << "submitted again as" << *submitted;
    Q_EMIT jobRetried(jobId, *submitted);
    refresh();
}

void QueuePanel::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}
