#include "ui/chat/chatwindow.h"

#include "core/queue/jobqueue.h"
#include "core/queue/jobwatcher.h"
#include "core/settings/appsettings.h"
#include "ui/chat/composer.h"
#include "ui/chat/conversationview.h"
#include "ui/chat/messagewidget.h"
#include "ui/queue/queuepanel.h"
#include "ui/queue/queuesettingswidget.h"
#include "ui/settings/providersettingspanel.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLoggingCategory>
#include <QMenuBar>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcChatWindow, "chatqueue.ui.chat")

namespace {

QString shortId(const QString &jobId)
{
    return jobId.left(8);
}

// "succeeded · 412 tokens · 3.2 s" for the status line.
QString describeFinished(const JobRecord &record)
{
    QStringList parts{jobStatusName(record.status)};
    if (record.usage.completionTokens > 0) {
        parts.append(ChatWindow::tr("%1 tokens").arg(record.usage.completionTokens));
    }
    if (record.finishedAtMs > 0 && record.startedAtMs > 0) {
        const double seconds =
                static_cast<double>(record.finishedAtMs - record.startedAtMs) / 1000.0;
        parts.append(ChatWindow::tr("%1 s").arg(seconds, 0, 'f', 1));
    }
    return parts.join(u" · "_s);
}

} // namespace

ChatWindow::ChatWindow(std::shared_ptr<QueueBackend> backend,
                       std::shared_ptr<ProfileRegistry> profiles,
                       AppSettings *settings,
                       SecretStore *secrets,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_backend(std::move(backend))
    , m_settings(settings)
    , m_queue(m_backend->connect(this))
    , m_conversation(new ConversationView(this))
    , m_composer(new Composer(this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_stop(new QPushButton(tr("Stop"), this))
    , m_status(new QLabel(this))
    , m_settingsPanel(new ProviderSettingsPanel(settings, secrets, std::move(profiles), this))
{
    setWindowTitle(tr("ChatQueue"));
    resize(1100, 720);

    m_send->setDefault(true);
    m_send->setToolTip(tr("Send (Ctrl+Enter)"));
    m_stop->setToolTip(tr("Stop the answer; what arrived so far is kept"));
    m_stop->setEnabled(false);

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_send);
    buttons->addWidget(m_stop);
    buttons->addStretch(1);

    auto *composerRow = new QWidget(this);
    auto *composerLayout = new QHBoxLayout(composerRow);
    composerLayout->setContentsMargins(8, 4, 8, 8);
    composerLayout->addWidget(m_composer, 1);
    composerLayout->addLayout(buttons);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_conversation);
    splitter->addWidget(composerRow);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setChildrenCollapsible(false);
    setCentralWidget(splitter);

    auto *dock = new QDockWidget(tr("Provider"), this);
    dock->setObjectName(u"providerDock"_s);
    dock->setWidget(m_settingsPanel);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    resizeDocks({dock}, {340}, Qt::Horizontal);

    auto *toolbar = addToolBar(tr("Conversation"));
    toolbar->setObjectName(u"conversationToolbar"_s);
    toolbar->setMovable(false);
    QAction *newChat = toolbar->addAction(tr("New chat"), this, &ChatWindow::newConversation);
    newChat->setShortcut(QKeySequence::New);
    QAction *toggleDock = dock->toggleViewAction();
    toggleDock->setText(tr("Provider settings"));
    toolbar->addAction(toggleDock);
    addQueueView(settings, secrets);
    toolbar->addAction(m_queueViewAction);

    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(m_status, 1);
    setStatus(tr("Ready."));

    connect(m_composer, &Composer::submitRequested, this, &ChatWindow::send);
    connect(m_send, &QPushButton::clicked, this, &ChatWindow::send);
    connect(m_stop, &QPushButton::clicked, this, &ChatWindow::stop);
    connect(m_settingsPanel, &ProviderSettingsPanel::ready, this, &ChatWindow::updateSendEnabled);
    connect(m_settingsPanel,
            &ProviderSettingsPanel::applied,
            this,
            [this](bool ok, const QString &message) { setStatus(message, !ok); });
    updateSendEnabled();
    restoreGeometry(m_settings->windowGeometry());
    restoreState(m_settings->windowState());
    m_composer->setFocus();
}

ChatWindow::~ChatWindow()
{
    // The watcher reads through m_queue, which goes before the window's children do.
    delete m_watcher;
}

Composer *ChatWindow::composer() const
{
    return m_composer;
}

ConversationView *ChatWindow::conversation() const
{
    return m_conversation;
}

ProviderSettingsPanel *ChatWindow::settingsPanel() const
{
    return m_settingsPanel;
}

QPushButton *ChatWindow::sendButton() const
{
    return m_send;
}

QPushButton *ChatWindow::stopButton() const
{
    return m_stop;
}

QString ChatWindow::statusText() const
{
    return m_status->text();
}

QueuePanel *ChatWindow::queuePanel() const
{
    return m_queuePanel;
}

QAction *ChatWindow::queueViewAction() const
{
    return m_queueViewAction;
}

// The queue view docks below the conversation, hidden until asked for; it polls only while
// shown. It reads through the window's own connection.
void ChatWindow::addQueueView(AppSettings *settings, SecretStore *secrets)
{
    auto *connection = new QueueSettingsWidget(settings, secrets, m_backend->describe());
    m_queuePanel = new QueuePanel(m_queue.get(), connection, this);

    auto *dock = new QDockWidget(tr("Queue"), this);
    dock->setObjectName(u"queueDock"_s);
    dock->setWidget(m_queuePanel);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide();

    m_queueViewAction = dock->toggleViewAction();
    m_queueViewAction->setText(tr("Queue"));
    m_queueViewAction->setToolTip(tr("Show or hide the jobs and workers of the queue"));
    m_queueViewAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J));
    addAction(m_queueViewAction);
}

QString ChatWindow::currentJobId() const
{
    return m_jobId;
}

QList<ChatMessage> ChatWindow::history() const
{
    return m_history;
}

void ChatWindow::closeEvent(QCloseEvent *event)
{
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(saveState());
    QMainWindow::closeEvent(event);
}

void ChatWindow::send()
{
    const QString prompt = m_composer->toPlainText().trimmed();
    if (prompt.isEmpty() || m_busy || !m_settingsPanel->isReady()) {
        return;
    }
    submitPrompt(prompt);
}

QCoro::Task<void> ChatWindow::submitPrompt(QString prompt)
{
    QPointer<ChatWindow> self(this);
    setBusy(true);

    // Settings edited but not applied yet are what the user means to send with.
    if (m_settingsPanel->hasUnappliedChanges()) {
        const bool applied = co_await m_settingsPanel->apply();
        if (!self) {
            co_return;
        }
        if (!applied) {
            setBusy(false);
            co_return;
        }
    }
    const ProviderSettings provider = m_settingsPanel->currentSettings();
    if (provider.model.isEmpty()) {
        setBusy(false);
        setStatus(tr("Choose a model in the provider settings first."), true);
        co_return;
    }

    m_composer->clear();
    m_history.append(ChatMessage{u"user"_s, prompt, {}});
    auto *question = new MessageWidget(MessageWidget::Role::User);
    question->setPrompt(prompt);
    m_conversation->addMessage(question);

    m_answer = new MessageWidget(MessageWidget::Role::Assistant);
    m_answer->setFooter(tr("Queued…"));
    m_conversation->addMessage(m_answer);

    ChatRequest request;
    request.profile = provider.profile;
    request.model = provider.model;
    if (!provider.systemPrompt.trimmed().isEmpty()) {
        request.messages.append(ChatMessage{u"system"_s, provider.systemPrompt, {}});
    }
    request.messages.append(m_history);

    setStatus(tr("Submitting…"));
    const auto submitted = co_await m_queue->submit(std::move(request));
    if (!self) {
        co_return;
    }
    if (!submitted) {
        onQueueFailed(submitted.error());
        setBusy(false);
        co_return;
    }
    Q_EMIT promptSubmitted(prompt, *submitted);
    followJob(*submitted);
}

void ChatWindow::followJob(const QString &jobId)
{
    m_jobId = jobId;
    qCInfo(lcChatWindow) << "following job" << jobId;
    Q_EMIT jobSubmitted(jobId);
    setStatus(tr("Job %1: queued").arg(shortId(jobId)));

    m_watcher = new JobWatcher(m_queue.get(), jobId, {}, this);
    MessageWidget *answer = m_answer;
    connect(m_watcher, &JobWatcher::deltaReceived, answer, &MessageWidget::appendDelta);
    connect(m_watcher, &JobWatcher::resetReceived, answer, [answer](int) { answer->restart(); });
    connect(m_watcher, &JobWatcher::statusChanged, this, [this, jobId](JobStatus status) {
        setStatus(tr("Job %1: %2").arg(shortId(jobId), jobStatusName(status)));
        if (m_answer && status == JobStatus::Running) {
            m_answer->setFooter(QString());
        }
    });
    connect(m_watcher, &JobWatcher::finished, this, &ChatWindow::onJobFinished);
    connect(m_watcher, &JobWatcher::queueFailed, this, &ChatWindow::onQueueFailed);
    m_watcher->start();

    if (m_stopRequested) {
        cancelJob(jobId);
    }
}

void ChatWindow::stop()
{
    if (!m_busy) {
        return;
    }
    m_stopRequested = true;
    m_stop->setEnabled(false);
    setStatus(tr("Stopping…"));
    if (!m_jobId.isEmpty()) {
        cancelJob(m_jobId);
    }
}

QCoro::Task<void> ChatWindow::cancelJob(QString jobId)
{
    QPointer<ChatWindow> self(this);
    const auto cancelled = co_await m_queue->cancel(jobId);
    if (!self) {
        co_return;
    }
    if (!cancelled) {
        onQueueFailed(cancelled.error());
    }
}

void ChatWindow::onJobFinished(const JobRecord &record)
{
    qCInfo(lcChatWindow) << "job" << record.id << "ended" << jobStatusName(record.status);
    if (m_answer) {
        m_answer->finish(record);
        if (record.error && record.status != JobStatus::Cancelled) {
            m_answer->setFooter(record.error->toDisplayString(), true);
        } else if (record.status == JobStatus::Cancelled) {
            m_answer->setFooter(tr("Stopped. The answer is incomplete."));
        } else {
            m_answer->setFooter(QString());
        }
    }

    // A stopped answer stays in the conversation as far as it got; a failed one is left out
    // so that the next request does not carry an error as the assistant's words.
    if (!record.content.isEmpty() && record.status != JobStatus::Failed) {
        m_history.append(ChatMessage{u"assistant"_s, record.content, {}});
    }

    const QString summary = tr("Job %1: %2").arg(shortId(record.id), describeFinished(record));
    if (record.status == JobStatus::Failed && record.error) {
        setStatus(summary + u" — "_s + record.error->toDisplayString(), true);
    } else {
        setStatus(summary);
    }

    if (m_watcher) {
        m_watcher->deleteLater();
    }
    m_jobId.clear();
    setBusy(false);
    Q_EMIT jobFinished(record);
}

void ChatWindow::onQueueFailed(const QueueError &error)
{
    qCWarning(lcChatWindow) << "queue failed:" << error.message;
    setStatus(tr("The queue failed: %1").arg(error.message), true);
    if (m_answer) {
        m_answer->setFooter(tr("The queue failed: %1").arg(error.message), true);
    }

    // An unreachable queue may come back and the watcher keeps trying; any other failure
    // (the job is gone, a malformed entry) ends following the job.
    if (error.kind != QueueError::Kind::Unavailable) {
        if (m_watcher) {
            m_watcher->stop();
            m_watcher->deleteLater();
        }
        m_jobId.clear();
        setBusy(false);
    }
}

void ChatWindow::newConversation()
{
    detachJob();
    m_history.clear();
    m_conversation->clear();
    setStatus(tr("New conversation."));
    m_composer->setFocus();
    Q_EMIT newConversationStarted();
}

void ChatWindow::showConversation(const QList<HistoryMessage> &messages)
{
    detachJob();
    m_history.clear();
    m_conversation->clear();
    setStatus(tr("Ready."));

    for (const HistoryMessage &message : messages) {
        if (message.role == u"user"_s) {
            auto *question = new MessageWidget(MessageWidget::Role::User);
            question->setPrompt(message.content);
            m_conversation->addMessage(question);
            m_history.append(ChatMessage{message.role, message.content, {}});
            continue;
        }

        auto *answer = new MessageWidget(MessageWidget::Role::Assistant);
        m_conversation->addMessage(answer);
        const std::optional<JobStatus> status = jobStatusFromName(message.status);
        if (!message.jobId.isEmpty() && status && !isFinalStatus(*status)) {
            // Still streaming: the job's log replays what the store holds and goes on.
            m_answer = answer;
            setBusy(true);
            followJob(message.jobId);
            continue;
        }

        JobRecord record;
        record.content = message.content;
        record.reasoning = message.reasoning;
        answer->appendDelta(ChatDelta{message.content, message.reasoning, {}, {}, {}, {}});
        answer->finish(record);
        if (status == JobStatus::Cancelled) {
            answer->setFooter(tr("Stopped. The answer is incomplete."));
        } else if (status == JobStatus::Failed) {
            answer->setFooter(tr("The request failed."), true);
        }
        if (!message.content.isEmpty() && status != JobStatus::Failed) {
            m_history.append(ChatMessage{message.role, message.content, {}});
        }
    }
    m_composer->setFocus();
}

void ChatWindow::detachJob()
{
    // The job goes on in the queue; only this window's view of it ends.
    if (m_watcher) {
        m_watcher->disconnect(this);
        m_watcher->stop();
        m_watcher->deleteLater();
    }
    m_answer = nullptr;
    m_jobId.clear();
    setBusy(false);
}

void ChatWindow::setStatus(const QString &text, bool isError)
{
    m_status->setText(text);
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText,
                     isError ? QColor(0xc0, 0x39, 0x2b)
                             : this->palette().color(QPalette::WindowText));
    m_status->setPalette(palette);
}

void ChatWindow::setBusy(bool busy)
{
    m_busy = busy;
    if (!busy) {
        m_stopRequested = false;
    }
    m_stop->setEnabled(busy);
    updateSendEnabled();
}

void ChatWindow::updateSendEnabled()
{
    m_send->setEnabled(!m_busy && m_settingsPanel->isReady());
}
