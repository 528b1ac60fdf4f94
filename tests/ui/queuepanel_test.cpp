// The queue view with real widgets: jobs submitted through the chat window appear with
// their profile, model, worker and status as they run; cancel and retry act on the selected
// job; the queue settings keep the Redis password out of the settings file; and with a
// private redis-server configured as the app's queue, answers stream and workers show.

#include "ui/queue/queuepanel.h"

#include "core/queue/jobqueue.h"
#include "core/settings/appsettings.h"
#include "core/settings/profileregistry.h"
#include "core/settings/queuesettings.h"
#include "core/settings/secretstore.h"
#include "core/worker/workerpool.h"
#include "ui/chat/chatwindow.h"
#include "ui/chat/composer.h"
#include "ui/chat/conversationview.h"
#include "ui/chat/messagewidget.h"
#include "ui/i18n/translations.h"
#include "ui/queue/jobtablemodel.h"
#include "ui/queue/queuesettingswidget.h"
#include "ui/settings/providersettingspanel.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QCheckBox>
#include <QFile>
#include <QLineEdit>
#include <QMenu>
#include <QPersistentModelIndex>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <optional>

#include "tests/integration/chatqprocess.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/redisserver.h"
#include "tests/ui/uitesthelpers.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

JobRecord makeRecord(const QString &id, JobStatus status)
{
    JobRecord record;
    record.id = id;
    record.status = status;
    record.request.model = u"m"_s;
    return record;
}

class QueuePanelTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dataDir.isValid());
        m_profiles = std::make_shared<ProfileRegistry>();
        m_settings = std::make_unique<AppSettings>(m_dataDir.filePath(u"settings.ini"_s));
        m_secrets =
                std::make_unique<SecretStore>(u"ChatQueueTests"_s, SecretStore::Mode::SessionOnly);
    }

    void TearDown() override
    {
        m_pool.reset();
        m_window.reset();
    }

    enum class Workers {
        Any,
        KnownProfiles,
        None
    };

    // Opens the window on `url` (the in-process queue by default) and the fake provider,
    // shows the queue view polling every 100 ms, and starts the app's workers, if any.
    void openWindow(const QString &url = u"memory"_s, Workers workers = Workers::Any)
    {
        auto backend = openQueueBackend(url, m_dataDir.path());
        ASSERT_TRUE(backend.ok()) << qPrintable(backend.error().message);
        m_backend = *backend;

        ProviderSettings provider;
        provider.baseUrl = m_provider.baseUrl();
        provider.model = u"fake-model"_s;
        m_settings->setProvider(provider);

        m_window = std::make_unique<ChatWindow>(m_backend,
                                                m_profiles,
                                                m_settings.get(),
                                                m_secrets.get());
        m_window->resize(1000, 800);
        m_window->show();
        QObject::connect(m_window.get(),
                         &ChatWindow::jobFinished,
                         m_window.get(),
                         [this](const JobRecord &record) { m_finished = record; });
        ASSERT_TRUE(
                QTest::qWaitFor([this] { return m_window->settingsPanel()->isReady(); }, kWaitMs));
        panel()->setPollInterval(100ms);
        m_window->queueViewAction()->trigger();

        if (workers == Workers::None) {
            return;
        }
        WorkerPoolOptions options;
        options.serveAnyProfile = workers == Workers::Any;
        m_pool = std::make_unique<WorkerPool>(m_backend, m_profiles, options);
        m_pool->start();
    }

    QueuePanel *panel() const { return m_window->queuePanel(); }

    void sendPrompt(const QString &prompt)
    {
        m_window->composer()->setPlainText(prompt);
        m_window->sendButton()->click();
    }

    // The job id the window submitted last.
    QString submittedJob()
    {
        if (!QTest::qWaitFor([this] { return !m_window->currentJobId().isEmpty(); }, kWaitMs)) {
            return {};
        }
        return m_window->currentJobId();
    }

    // The panel's row of `jobId` once it shows `status`; nullopt when it never does.
    std::optional<JobRecord> waitForRow(const QString &jobId, JobStatus status)
    {
        JobTableModel *model = panel()->jobModel();
        const bool shown = QTest::qWaitFor(
                [&] {
                    const int row = model->rowOf(jobId);
                    return row >= 0 && model->recordAt(row).status == status;
                },
                kWaitMs);
        if (!shown) {
            return std::nullopt;
        }
        return model->recordAt(model->rowOf(jobId));
    }

    QString cellText(const QString &jobId, int column) const
    {
        JobTableModel *model = panel()->jobModel();
        return model->index(model->rowOf(jobId), column).data().toString();
    }

    int chatRequests() const
    {
        int count = 0;
        for (const FakeProvider::Request &request : m_provider.requests()) {
            count += request.path.contains(u"/chat/completions"_s) ? 1 : 0;
        }
        return count;
    }

    JobRecord storedRecord(const QString &jobId)
    {
        std::unique_ptr<JobQueue> queue = m_backend->connect();
        auto record = awaitTask(queue->record(jobId));
        EXPECT_TRUE(record.ok());
        return record.ok() ? *record : JobRecord{};
    }

    QTemporaryDir m_dataDir;
    FakeProvider m_provider;
    std::shared_ptr<QueueBackend> m_backend;
    std::shared_ptr<ProfileRegistry> m_profiles;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<ChatWindow> m_window;
    std::unique_ptr<WorkerPool> m_pool;
    std::optional<JobRecord> m_finished;
};

} // namespace

TEST_F(QueuePanelTest, TheShortcutShowsAndHidesTheQueueView)
{
    openWindow();
    m_window->queueViewAction()->trigger();
    const bool hiddenAfterToggle = panel()->isVisible();

    m_window->queueViewAction()->trigger();

    EXPECT_FALSE(hiddenAfterToggle);
    EXPECT_TRUE(panel()->isVisible());
    EXPECT_FALSE(m_window->queueViewAction()->shortcut().isEmpty());
}

TEST_F(QueuePanelTest, ListsAJobOfTheWindowFromRunningToSucceeded)
{
    m_provider.setDefaultScenario(FakeProvider::contentScenario(words(80), 6).inChunks(128, 20ms));
    openWindow();

    sendPrompt(u"Count slowly"_s);
    const QString jobId = submittedJob();
    const std::optional<JobRecord> running = waitForRow(jobId, JobStatus::Running);
    ASSERT_TRUE(running.has_value());
    const bool finishedWhileRunning = m_finished.has_value();
    const std::optional<JobRecord> succeeded = waitForRow(jobId, JobStatus::Succeeded);
    ASSERT_TRUE(succeeded.has_value());

    EXPECT_FALSE(finishedWhileRunning);
    EXPECT_EQ(cellText(jobId, JobTableModel::IdColumn), jobId.left(8));
    EXPECT_EQ(cellText(jobId, JobTableModel::ProfileColumn), u"default"_s);
    EXPECT_EQ(cellText(jobId, JobTableModel::ModelColumn), u"fake-model"_s);
    EXPECT_FALSE(succeeded->worker.isEmpty());
    EXPECT_EQ(cellText(jobId, JobTableModel::WorkerColumn), succeeded->worker);
    EXPECT_EQ(cellText(jobId, JobTableModel::StatusColumn), u"succeeded"_s);
    EXPECT_FALSE(cellText(jobId, JobTableModel::FirstTokenColumn).isEmpty());
    EXPECT_FALSE(cellText(jobId, JobTableModel::TokensPerSecondColumn).isEmpty());
    EXPECT_FALSE(cellText(jobId, JobTableModel::DurationColumn).isEmpty());
    EXPECT_FALSE(panel()->cancelButton()->isEnabled());
}

TEST_F(QueuePanelTest, CancelFromThePanelEndsASlowJobCancelled)
{
    const QString content = words(600);
    m_provider.setDefaultScenario(FakeProvider::contentScenario(content, 6).inChunks(32, 30ms));
    openWindow();
    sendPrompt(u"Tell me a very long story"_s);
    const QString jobId = submittedJob();
    ASSERT_TRUE(waitForRow(jobId, JobStatus::Running).has_value());
    panel()->selectJob(jobId);
    const bool cancelEnabled = panel()->cancelButton()->isEnabled();

    panel()->cancelButton()->click();
    ASSERT_TRUE(QTest::qWaitFor([this] { return m_finished.has_value(); }, kWaitMs));
    const std::optional<JobRecord> shown = waitForRow(jobId, JobStatus::Cancelled);

    EXPECT_TRUE(cancelEnabled);
    EXPECT_EQ(m_finished->status, JobStatus::Cancelled);
    EXPECT_EQ(storedRecord(jobId).status, JobStatus::Cancelled);
    EXPECT_LT(storedRecord(jobId).content.size(), content.size());
    EXPECT_TRUE(shown.has_value());
    EXPECT_EQ(panel()->selectedJobId(), jobId);
}

TEST_F(QueuePanelTest, RetrySubmitsANewJobWithTheSameRequest)
{
    openWindow();
    sendPrompt(u"Say something"_s);
    const QString jobId = submittedJob();
    ASSERT_TRUE(waitForRow(jobId, JobStatus::Succeeded).has_value());
    QSignalSpy retried(panel(), &QueuePanel::jobRetried);
    panel()->selectJob(jobId);

    panel()->retryButton()->click();
    ASSERT_TRUE(QTest::qWaitFor([&retried] { return retried.count() == 1; }, kWaitMs));
    const QString newJobId = retried.first().at(1).toString();
    const std::optional<JobRecord> again = waitForRow(newJobId, JobStatus::Succeeded);

    EXPECT_EQ(retried.first().at(0).toString(), jobId);
    EXPECT_NE(newJobId, jobId);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(storedRecord(newJobId).request, storedRecord(jobId).request);
    EXPECT_EQ(panel()->jobModel()->rowOf(newJobId), 0);
    EXPECT_EQ(panel()->selectedJobId(), jobId);
    EXPECT_EQ(chatRequests(), 2);
}

TEST(QueueJobTableModel, UpdatesRowsInPlaceSoThatTheSelectionSurvives)
{
    JobTableModel model;
    model.update({makeRecord(u"b"_s, JobStatus::Running), makeRecord(u"a"_s, JobStatus::Queued)});
    const QPersistentModelIndex kept(model.index(1, 0));
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    model.update({makeRecord(u"c"_s, JobStatus::Queued),
                  makeRecord(u"b"_s, JobStatus::Succeeded),
                  makeRecord(u"a"_s, JobStatus::Running)});

    EXPECT_EQ(resets.count(), 0);
    EXPECT_EQ(inserted.count(), 1);
    EXPECT_EQ(model.rowCount(), 3);
    ASSERT_TRUE(kept.isValid());
    EXPECT_EQ(kept.row(), 2);
    EXPECT_EQ(kept.data(JobTableModel::JobIdRole).toString(), u"a"_s);
    EXPECT_EQ(model.recordAt(1).status, JobStatus::Succeeded);
    EXPECT_EQ(model.rowOf(u"c"_s), 0);
}

TEST(QueueJobTableModel, TokensPerSecondCountFromTheFirstToken)
{
    JobRecord record = makeRecord(u"a"_s, JobStatus::Succeeded);
    record.startedAtMs = 1000;
    record.firstTokenAtMs = 1500;
    record.finishedAtMs = 3500;
    record.usage.completionTokens = 100;
    record.usage.known = true;

    const double rate = JobTableModel::tokensPerSecond(record);
    const qint64 firstToken = JobTableModel::firstTokenMs(record);

    EXPECT_DOUBLE_EQ(rate, 50.0);
    EXPECT_EQ(firstToken, 500);
}

TEST_F(QueuePanelTest, TheQueuePasswordGoesToTheKeychainNotTheSettingsFile)
{
    QueueSettingsWidget widget(m_settings.get(), m_secrets.get(), u"memory"_s);
    ASSERT_TRUE(QTest::qWaitFor([&widget] { return widget.applyButton()->isEnabled(); }, kWaitMs));
    widget.urlEdit()->setText(u"redis://alice:s3cr%40t-pw@127.0.0.1:6390/2"_s);
    widget.runWorkersBox()->setChecked(false);

    const bool applied = awaitTask(widget.apply());
    m_settings->sync();
    QFile file(m_settings->location());
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray stored = file.readAll();
    const LoadedQueueSettings loaded =
            awaitTask(loadQueueSettings(m_settings.get(), m_secrets.get()));

    EXPECT_TRUE(applied);
    EXPECT_FALSE(stored.contains("s3cr"));
    EXPECT_TRUE(stored.contains("alice@127.0.0.1"));
    EXPECT_EQ(loaded.settings.url, u"redis://alice@127.0.0.1:6390/2"_s);
    EXPECT_EQ(loaded.settings.password, u"s3cr@t-pw"_s);
    EXPECT_FALSE(loaded.settings.runWorkers);
    EXPECT_EQ(loaded.settings.connectionUrl(), u"redis://alice:s3cr%40t-pw@127.0.0.1:6390/2"_s);
    // The test's store keeps secrets for the session only, and the widget says so.
    EXPECT_TRUE(widget.messageText().contains(u"no keychain"_s));
}

TEST_F(QueuePanelTest, RejectsAnInvalidQueueUrl)
{
    QueueSettingsWidget widget(m_settings.get(), m_secrets.get(), u"memory"_s);
    ASSERT_TRUE(QTest::qWaitFor([&widget] { return widget.applyButton()->isEnabled(); }, kWaitMs));
    widget.urlEdit()->setText(u"redis://127.0.0.1:6379/0?nonsense=1"_s);

    const bool applied = awaitTask(widget.apply());

    EXPECT_FALSE(applied);
    EXPECT_EQ(m_settings->queueUrl(), u"memory"_s);
}

TEST_F(QueuePanelTest, OnAConfiguredRedisQueueTheAnswerStreamsAndWorkersShow)
{
    RedisServerOptions options;
    options.password = u"queue-pw"_s;
    RedisServer redis(options);
    ASSERT_TRUE(redis.start()) << qPrintable(redis.errorString());
    {
        QueueSettingsWidget widget(m_settings.get(), m_secrets.get(), u"memory"_s);
        ASSERT_TRUE(
                QTest::qWaitFor([&widget] { return widget.applyButton()->isEnabled(); }, kWaitMs));
        widget.urlEdit()->setText(redis.urlWith({}, {}));
        widget.passwordEdit()->setText(u"queue-pw"_s);
        ASSERT_TRUE(awaitTask(widget.apply()));
    }
    const LoadedQueueSettings loaded =
            awaitTask(loadQueueSettings(m_settings.get(), m_secrets.get()));
    const QString content = words(80);
    m_provider.setDefaultScenario(FakeProvider::contentScenario(content, 6).inChunks(48, 15ms));
    openWindow(loaded.settings.connectionUrl(), Workers::KnownProfiles);

    sendPrompt(u"Through Redis, please"_s);
    const QString jobId = submittedJob();
    ASSERT_TRUE(QTest::qWaitFor([this] { return m_finished.has_value(); }, kWaitMs));
    const std::optional<JobRecord> shown = waitForRow(jobId, JobStatus::Succeeded);
    ASSERT_TRUE(shown.has_value());
    const bool workerListed = QTest::qWaitFor(
            [this, &shown] {
                return !panel()->workerList()
                                ->findItems(shown->worker, Qt::MatchExactly, 0)
                                .isEmpty();
            },
            kWaitMs);

    EXPECT_EQ(m_finished->status, JobStatus::Succeeded);
    EXPECT_EQ(m_window->conversation()->messages().last()->answerText(), content);
    EXPECT_FALSE(shown->worker.isEmpty());
    EXPECT_EQ(cellText(jobId, JobTableModel::WorkerColumn), shown->worker);
    EXPECT_TRUE(workerListed);
    EXPECT_TRUE(panel()->errorText().isEmpty());
}

TEST_F(QueuePanelTest, ShowsTheQueueViewInSimplifiedChinese)
{
    const bool installed = installTranslations(QLocale(QLocale::Chinese, QLocale::China));
    openWindow();

    sendPrompt(u"你好"_s);
    const QString jobId = submittedJob();
    const bool listed = waitForRow(jobId, JobStatus::Succeeded).has_value();
    JobTableModel *model = panel()->jobModel();
    const QString header =
            model->headerData(JobTableModel::WorkerColumn, Qt::Horizontal, Qt::DisplayRole)
                    .toString();
    const QString status = cellText(jobId, JobTableModel::StatusColumn);
    const QString retry = panel()->retryButton()->text();
    const QString toggle = m_window->queueViewAction()->text();
    panel()->grab().save(artifactPath(u"queuepanel-zh_CN.png"_s));
    removeTranslations();

    EXPECT_TRUE(installed);
    EXPECT_TRUE(listed);
    EXPECT_EQ(header, u"工作进程"_s);
    EXPECT_EQ(status, u"已成功"_s);
    EXPECT_EQ(retry, u"重试"_s);
    EXPECT_EQ(toggle, u"队列"_s);
}

TEST_F(QueuePanelTest, WithoutItsOwnWorkersTheAppSubmitsAndARemoteWorkerAnswers)
{
    RedisServer redis;
    ASSERT_TRUE(redis.start()) << qPrintable(redis.errorString());
    const QString content = words(60);
    m_provider.setDefaultScenario(FakeProvider::contentScenario(content, 6).inChunks(64, 10ms));
    openWindow(redis.url(), Workers::None);
    std::unique_ptr<QProcess> worker = chatqprocess::start({u"worker"_s,
                                                            u"--queue"_s,
                                                            redis.url(),
                                                            u"--base-url"_s,
                                                            m_provider.baseUrl().toString(),
                                                            u"--concurrency"_s,
                                                            u"2"_s});
    ASSERT_TRUE(worker->waitForStarted(10000));
    const qint64 workerPid = worker->processId();

    sendPrompt(u"Who answers?"_s);
    const QString jobId = submittedJob();
    ASSERT_TRUE(QTest::qWaitFor([this] { return m_finished.has_value(); }, kWaitMs));
    const std::optional<JobRecord> shown = waitForRow(jobId, JobStatus::Succeeded);
    ASSERT_TRUE(shown.has_value());
    const bool workerListed = QTest::qWaitFor(
            [this, &shown] {
                return !panel()->workerList()
                                ->findItems(shown->worker, Qt::MatchExactly, 0)
                                .isEmpty();
            },
            kWaitMs);
    const int exitCode = chatqprocess::terminate(*worker);

    EXPECT_EQ(m_finished->status, JobStatus::Succeeded);
    EXPECT_EQ(m_window->conversation()->messages().last()->answerText(), content);
    EXPECT_TRUE(shown->worker.contains(QString::number(workerPid))) << qPrintable(shown->worker);
    EXPECT_TRUE(workerListed);
    EXPECT_EQ(exitCode, 0);
}

TEST_F(QueuePanelTest, TheContextMenuRetriesAFinishedJobButCannotCancelIt)
{
    openWindow();
    sendPrompt(u"Once more"_s);
    const QString jobId = submittedJob();
    ASSERT_TRUE(waitForRow(jobId, JobStatus::Succeeded).has_value());
    QSignalSpy retried(panel(), &QueuePanel::jobRetried);
    QTableView *view = panel()->jobView();
    const QRect cell =
            view->visualRect(panel()->jobModel()->index(panel()->jobModel()->rowOf(jobId), 0));

    Q_EMIT view->customContextMenuRequested(cell.center());
    const bool menuShown =
            QTest::qWaitFor([this] { return panel()->jobMenu()->isVisible(); }, kWaitMs);
    QList<QAction *> actions = panel()->jobMenu()->actions();
    const bool cancelEnabled = actions.at(0)->isEnabled();
    const bool retryEnabled = actions.at(1)->isEnabled();
    actions.at(1)->trigger();
    panel()->jobMenu()->close();
    const bool retriedOnce = QTest::qWaitFor([&retried] { return retried.count() == 1; }, kWaitMs);

    EXPECT_TRUE(menuShown);
    EXPECT_EQ(panel()->selectedJobId(), jobId);
    EXPECT_FALSE(cancelEnabled);
    EXPECT_TRUE(retryEnabled);
    ASSERT_TRUE(retriedOnce);
    EXPECT_EQ(retried.first().at(0).toString(), jobId);
}

TEST_F(QueuePanelTest, SavingTheQueueSaysThatItAppliesAfterARestart)
{
    QueueSettingsWidget widget(m_settings.get(), m_secrets.get(), u"memory"_s);
    ASSERT_TRUE(QTest::qWaitFor([&widget] { return widget.applyButton()->isEnabled(); }, kWaitMs));
    widget.urlEdit()->setText(u"redis://127.0.0.1:6390/1"_s);

    const bool applied = awaitTask(widget.apply());

    EXPECT_TRUE(applied);
    EXPECT_EQ(m_settings->queueUrl(), u"redis://127.0.0.1:6390/1"_s);
    EXPECT_TRUE(m_settings->runWorkers());
    EXPECT_TRUE(widget.messageText().contains(u"Restart ChatQueue"_s));
}
