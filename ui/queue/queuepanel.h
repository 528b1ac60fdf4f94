#pragma once

#include "core/queue/jobqueue.h"

#include <QCoroTask>

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <chrono>

class JobTableModel;
class QLabel;
class QMenu;
class QPushButton;
class QTableView;
class QTreeWidget;
class QueueSettingsWidget;

// The queue view: the jobs of the queue — this app's and, on a shared queue, everyone's —
// with their profile, model, worker and timings, the live workers with their heartbeats,
// and cancel and retry for the selected job. It polls through the JobQueue it is given
// (the window's own connection) while it is shown, one poll at a time.
class QueuePanel : public QWidget
{
    Q_OBJECT

public:
    // `queue` must outlive the panel. `settings` may be null (then no connection tab).
    QueuePanel(JobQueue *queue, QueueSettingsWidget *settings = nullptr, QWidget *parent = nullptr);

    JobTableModel *jobModel() const;
    QTableView *jobView() const;
    QTreeWidget *workerList() const;
    QPushButton *cancelButton() const;
    QPushButton *retryButton() const;
    QMenu *jobMenu() const;
    QString errorText() const;

    // How often the panel polls while shown; ~1 s by default.
    void setPollInterval(std::chrono::milliseconds interval);

    // Polls now, unless a poll is in flight.
    void refresh();

    // The job selected in the table; empty when none.
    QString selectedJobId() const;
    void selectJob(const QString &jobId);

    // Cancels, or submits again with the same request, the selected job.
    void cancelSelected();
    void retrySelected();

Q_SIGNALS:
    // A poll ended and the lists show its result.
    void refreshed();
    // Retry submitted `newJobId` with the request of `jobId`.
    void jobRetried(const QString &jobId, const QString &newJobId);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QCoro::Task<void> poll();
    QCoro::Task<void> cancelJob(QString jobId);
    QCoro::Task<void> retryJob(QString jobId);
    void showWorkers(const QList<WorkerStatus> &workers);
    void updateActions();
    void showError(const QString &text);

    QPointer<JobQueue> m_queue;
    JobTableModel *m_jobs;
    QTableView *m_jobView;
    QTreeWidget *m_workers;
    QPushButton *m_cancel;
    QPushButton *m_retry;
    QMenu *m_menu;
    QLabel *m_error;
    QTimer m_timer;
    bool m_polling = false;
    bool m_pollAgain = false;
};
