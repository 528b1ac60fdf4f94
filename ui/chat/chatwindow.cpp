#include "ui/chat/chatwindow.h"

#include "core/queue/jobqueue.h"
#include "core/settings/appsettings.h"
#include "core/store/historyrecorder.h"
#include "core/store/historystore.h"
#include "ui/chat/chatsession.h"
#include "ui/chat/composer.h"
#include "ui/chat/conversationview.h"
#include "ui/chat/messagewidget.h"
#include "ui/chat/parametersbar.h"
#include "ui/queue/queuepanel.h"
#include "ui/queue/queuesettingswidget.h"
#include "ui/settings/providersettingspanel.h"
#include "ui/widgets/longtext.h"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLoggingCategory>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcChatWindow, "chatqueue.ui.chat")

namespace {

std::unique_ptr<HistoryStore> openMemoryStore()
{
    auto opened = HistoryStore::open(u":memory:"_s);
    if (!opened) {
        qCCritical(lcChatWindow) << "cannot open an in-memory history:" << opened.error();
        return nullptr;
    }
    return std::move(opened).value();
}

} // namespace

ChatWindow::ChatWindow(std::shared_ptr<QueueBackend> backend,
                       std::shared_ptr<ProfileRegistry> profiles,
                       AppSettings *settings,
                       SecretStore *secrets,
                       HistoryStore *store,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_backend(std::move(backend))
    , m_settings(settings)
    , m_queue(m_backend->connect(this))
    , m_ownStore(store ? nullptr : openMemoryStore())
    , m_store(store ? store : m_ownStore.get())
    , m_recorder(new HistoryRecorder(m_queue.get(), m_store, std::chrono::milliseconds(100), this))
    , m_parameters(new ParametersBar(this))
    , m_stack(new QStackedWidget(this))
    , m_editBanner(new QWidget(this))
    , m_composer(new Composer(this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_stop(new QPushButton(tr("Stop"), this))
    , m_status(new QLabel(this))
    , m_settingsPanel(new ProviderSettingsPanel(settings, secrets, std::move(profiles), this))
{
    setWindowTitle(tr("ChatQueue"));
    resize(1100, 720);

    m_send->setDefault(true);
    m_stop->setToolTip(tr("Stop the answer; what arrived so far is kept (Ctrl+.)"));
    m_stop->setEnabled(false);

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_send);
    buttons->addWidget(m_stop);
    buttons->addStretch(1);

    auto *bannerText =
            new QLabel(tr("Editing a message: sending makes it a new version."), m_editBanner);
    auto *bannerCancel = new QPushButton(tr("Cancel editing"), m_editBanner);
    auto *bannerLayout = new QHBoxLayout(m_editBanner);
    bannerLayout->setContentsMargins(8, 0, 8, 0);
    bannerLayout->addWidget(bannerText, 1);
    bannerLayout->addWidget(bannerCancel);
    m_editBanner->hide();
    connect(bannerCancel, &QPushButton::clicked, this, &ChatWindow::cancelEditing);

    auto *composerRow = new QWidget(this);
    auto *composerColumn = new QVBoxLayout(composerRow);
    composerColumn->setContentsMargins(0, 0, 0, 0);
    composerColumn->addWidget(m_editBanner);
    auto *composerLayout = new QHBoxLayout;
    composerLayout->setContentsMargins(8, 4, 8, 8);
    composerLayout->addWidget(m_composer, 1);
    composerLayout->addLayout(buttons);
    composerColumn->addLayout(composerLayout);

    auto *conversationColumn = new QWidget(this);
    auto *columnLayout = new QVBoxLayout(conversationColumn);
    columnLayout->setContentsMargins(0, 0, 0, 0);
    columnLayout->setSpacing(0);
    columnLayout->addWidget(m_parameters);
    columnLayout->addWidget(m_stack, 1);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(u"conversationSplitter"_s);
    m_splitter->addWidget(conversationColumn);
    m_splitter->addWidget(composerRow);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setChildrenCollapsible(false);
    setCentralWidget(m_splitter);

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
    addMenus();

    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(m_status, 1);

    connect(m_composer, &Composer::submitRequested, this, &ChatWindow::send);
    connect(m_composer, &Composer::cancelRequested, this, &ChatWindow::cancelEditing);
    connect(m_send, &QPushButton::clicked, this, &ChatWindow::send);
    connect(m_stop, &QPushButton::clicked, this, &ChatWindow::stop);
    connect(m_parameters, &ParametersBar::settingsEdited, this, &ChatWindow::onSettingsEdited);
    connect(m_parameters, &ParametersBar::profileChosen, this, [this](const QString &profile) {
        m_parameters->setModels(m_settingsPanel->modelsFor(profile));
    });
    connect(m_settingsPanel, &ProviderSettingsPanel::ready, this, [this] {
        refreshProfiles();
        updateSendEnabled();
    });
    connect(m_settingsPanel,
            &ProviderSettingsPanel::profilesChanged,
            this,
            &ChatWindow::refreshProfiles);
    connect(m_settingsPanel,
            &ProviderSettingsPanel::applied,
            this,
            [this](bool ok, const QString &message) { setStatus(message, !ok); });

    newConversation();
    setStatus(tr("Ready."));
    restoreGeometry(m_settings->windowGeometry());
    restoreState(m_settings->windowState());
    m_splitter->restoreState(m_settings->splitterState());
    resumeUnfinished();
    m_composer->setFocus();
}

ChatWindow::~ChatWindow()
{
    // Sessions and the recorder read through m_queue, which goes before the children do.
    const QList<ChatSession *> sessions = findChildren<ChatSession *>();
    for (ChatSession *session : sessions) {
        delete session;
    }
    delete m_recorder;
}

void ChatWindow::addMenus()
{
    QMenu *conversation = menuBar()->addMenu(tr("&Conversation"));
    QAction *stop = conversation->addAction(tr("Stop the answer"), this, &ChatWindow::stop);
    stop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    QAction *focus = conversation->addAction(tr("Write a message"), this, [this] {
        m_composer->setFocus();
    });
    focus->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    QAction *parameters = conversation->addAction(tr("Parameters…"),
                                                  m_parameters,
                                                  &ParametersBar::editParameters);
    parameters->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));

    QMenu *settingsMenu = menuBar()->addMenu(tr("&Settings"));
    m_enterSends = settingsMenu->addAction(tr("Enter sends (Shift+Enter for a new line)"));
    m_enterSends->setCheckable(true);
    m_enterSends->setChecked(m_settings->enterSends());
    const auto applySendKey = [this](bool enterSends) {
        m_composer->setSendKey(enterSends ? Composer::SendKey::Enter
                                          : Composer::SendKey::CtrlEnter);
        m_send->setToolTip(enterSends ? tr("Send (Enter)") : tr("Send (Ctrl+Enter)"));
    };
    applySendKey(m_enterSends->isChecked());
    connect(m_enterSends, &QAction::toggled, this, [this, applySendKey](bool enterSends) {
        m_settings->setEnterSends(enterSends);
        applySendKey(enterSends);
    });

    // The language applies from the next start: every window would have to be built again.
    QMenu *language = settingsMenu->addMenu(tr("Language"));
    const QList<std::pair<QString, QString>> languages{
            {tr("System language"), QString()},
            {u"English"_s, u"en"_s},
            {u"简体中文"_s, u"zh_CN"_s},
    };
    auto *group = new QActionGroup(language);
    for (const auto &[name, code] : languages) {
        QAction *action = language->addAction(name);
        action->setCheckable(true);
        action->setChecked(m_settings->language() == code);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, code] {
            m_settings->setLanguage(code);
            setStatus(tr("The language changes when ChatQueue starts again."));
        });
    }
}

Composer *ChatWindow::composer() const
{
    return m_composer;
}

ConversationView *ChatWindow::conversation() const
{
    return m_current->view();
}

ProviderSettingsPanel *ChatWindow::settingsPanel() const
{
    return m_settingsPanel;
}

ParametersBar *ChatWindow::parametersBar() const
{
    return m_parameters;
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

HistoryStore *ChatWindow::historyStore() const
{
    return m_store;
}

HistoryRecorder *ChatWindow::recorder() const
{
    return m_recorder;
}

QueuePanel *ChatWindow::queuePanel() const
{
    return m_queuePanel;
}

QAction *ChatWindow::queueViewAction() const
{
    return m_queueViewAction;
}

QAction *ChatWindow::enterSendsAction() const
{
    return m_enterSends;
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

qint64 ChatWindow::currentConversation() const
{
    return m_current->conversationId();
}

QString ChatWindow::currentJobId() const
{
    return m_current->runningJobId();
}

QList<ChatMessage> ChatWindow::history() const
{
    return m_current->context();
}

ChatSession *ChatWindow::currentSession() const
{
    return m_current;
}

int ChatWindow::streamingCount() const
{
    int count = 0;
    const QList<ChatSession *> sessions = findChildren<ChatSession *>();
    for (const ChatSession *session : sessions) {
        count += session->isBusy() ? 1 : 0;
    }
    return count;
}

QSet<qint64> ChatWindow::streamingConversations() const
{
    QSet<qint64> ids;
    const QList<ChatSession *> sessions = findChildren<ChatSession *>();
    for (const ChatSession *session : sessions) {
        if (session->isBusy() && session->conversationId() != 0) {
            ids.insert(session->conversationId());
        }
    }
    return ids;
}

void ChatWindow::closeEvent(QCloseEvent *event)
{
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(saveState());
    m_settings->setSplitterState(m_splitter->saveState());
    QMainWindow::closeEvent(event);
}

ConversationSettings ChatWindow::defaultSettings() const
{
    const ProviderSettings provider = m_settingsPanel->currentSettings();
    ConversationSettings settings;
    settings.profile = provider.profile;
    settings.model = provider.model;
    settings.systemPrompt = provider.systemPrompt;
    return settings;
}

ChatSession *ChatWindow::createSession(qint64 conversationId)
{
    auto *session = new ChatSession(m_queue.get(), m_store, m_recorder, defaultSettings(), this);
    m_stack->addWidget(session->view());

    connect(session, &ChatSession::busyChanged, this, [this, session](bool busy) {
        Q_EMIT streamingChanged();
        if (session == m_current) {
            updateSendEnabled();
        } else if (!busy) {
            closeIfIdle(session);
        }
    });
    connect(session,
            &ChatSession::statusChanged,
            this,
            [this, session](const QString &text, bool isError) {
                m_statuses.insert(session, {text, isError});
                if (session == m_current) {
                    setStatus(text, isError);
                }
            });
    connect(session, &ChatSession::conversationCreated, this, [this, session](qint64 id) {
        m_sessions.insert(id, session);
        Q_EMIT conversationsChanged();
        Q_EMIT streamingChanged();
        if (session == m_current) {
            Q_EMIT currentConversationChanged(id);
        }
    });
    connect(session, &ChatSession::conversationUpdated, this, &ChatWindow::onConversationUpdated);
    connect(session, &ChatSession::jobSubmitted, this, &ChatWindow::jobSubmitted);
    connect(session, &ChatSession::jobFinished, this, &ChatWindow::jobFinished);
    connect(session, &ChatSession::promptReturned, this, [this, session](const QString &text) {
        // A prompt that could not be sent is never lost: it goes back where it was written.
        if (session == m_current && m_composer->toPlainText().trimmed().isEmpty()) {
            setPlainTextSafely(m_composer, text);
        }
    });
    connect(session,
            &ChatSession::editRequested,
            this,
            [this, session](qint64 messageId, const QString &text) {
                if (session == m_current) {
                    startEditing(messageId, text);
                }
            });

    if (conversationId != 0) {
        m_sessions.insert(conversationId, session);
        session->load(conversationId);
    }
    return session;
}

void ChatWindow::activate(ChatSession *session)
{
    ChatSession *previous = m_current;
    if (previous == session) {
        return;
    }
    m_currentSettingsEdited = false;
    if (previous) {
        m_drafts.insert(previous->conversationId(),
                        Draft{m_composer->toPlainText(), m_editedMessage, m_textBeforeEdit});
    }
    setEditMode(0);
    m_textBeforeEdit.clear();
    m_current = session;

    // What was being written there comes back, an edit in progress included.
    const Draft draft = m_drafts.take(session->conversationId());
    setPlainTextSafely(m_composer, draft.text);
    if (draft.editedMessage != 0 && session->hasMessage(draft.editedMessage)) {
        m_textBeforeEdit = draft.textBeforeEdit;
        setEditMode(draft.editedMessage);
    }
    m_stack->setCurrentWidget(session->view());
    m_parameters->setSettings(session->settings());
    m_parameters->setModels(m_settingsPanel->modelsFor(session->settings().profile));
    const auto status = m_statuses.value(session, {tr("Ready."), false});
    setStatus(status.first, status.second);
    updateSendEnabled();
    if (previous) {
        closeIfIdle(previous);
    }
    Q_EMIT currentConversationChanged(session->conversationId());
}

void ChatWindow::closeIfIdle(ChatSession *session)
{
    // A streaming session stays open behind the one shown; it closes once its answer ends.
    if (session == m_current || session->isBusy()) {
        return;
    }
    m_sessions.remove(session->conversationId());
    m_statuses.remove(session);
    m_stack->removeWidget(session->view());
    session->deleteLater();
}

void ChatWindow::newConversation()
{
    if (m_current && m_current->conversationId() == 0 && m_current->path().isEmpty()) {
        m_composer->setFocus();
        return;
    }
    activate(createSession(0));
    setStatus(tr("New conversation."));
    m_composer->setFocus();
    Q_EMIT newConversationStarted();
}

void ChatWindow::openConversation(qint64 id)
{
    if (m_current && m_current->conversationId() == id) {
        return;
    }
    if (!m_store->conversation(id)) {
        setStatus(tr("The conversation is no longer in the history."), true);
        return;
    }
    ChatSession *session = m_sessions.value(id);
    activate(session ? session : createSession(id));
    m_composer->setFocus();
}

void ChatWindow::conversationDeleted(qint64 id)
{
    if (ChatSession *session = m_sessions.value(id); session && session->isBusy()) {
        qCInfo(lcChatWindow) << "stopping the answer of deleted conversation" << id;
        session->stop();
    }
    if (m_current->conversationId() == id) {
        newConversation();
    }
}

void ChatWindow::resumeUnfinished()
{
    // Answers that were streaming when the app last ended are written to their end; the
    // most recent one's conversation is shown, live.
    const int resumed = m_recorder->resumeUnfinished();
    if (resumed == 0) {
        return;
    }
    qCInfo(lcChatWindow) << "following" << resumed << "answers from the last session";
    const QList<HistoryMessage> unfinished = m_store->unfinishedMessages();
    const auto latest = std::max_element(
            unfinished.cbegin(),
            unfinished.cend(),
            [](const HistoryMessage &a, const HistoryMessage &b) { return a.id < b.id; });
    if (latest != unfinished.cend()) {
        openConversation(latest->conversationId);
        setStatus(resumed == 1
                          ? tr("An answer from the last session is still running.")
                          : tr("%1 answers from the last session are still running.").arg(resumed));
    }
}

void ChatWindow::refreshProfiles()
{
    m_parameters->setProfiles(m_settingsPanel->profileNames());
    m_parameters->setModels(m_settingsPanel->modelsFor(m_parameters->settings().profile));

    // A new conversation not sent yet follows the provider settings as they change, unless
    // the user set its own.
    if (m_current && m_current->conversationId() == 0 && m_current->path().isEmpty()
        && !m_currentSettingsEdited) {
        const ConversationSettings defaults = defaultSettings();
        ConversationSettings settings = m_current->settings();
        settings.profile = defaults.profile;
        settings.model = defaults.model;
        settings.systemPrompt = defaults.systemPrompt;
        m_current->setSettings(settings);
        m_parameters->setSettings(settings);
        m_parameters->setModels(m_settingsPanel->modelsFor(settings.profile));
    }
}

void ChatWindow::onSettingsEdited()
{
    m_currentSettingsEdited = true;
    ConversationSettings settings = m_parameters->settings();
    if (settings.model.isEmpty() && settings.profile != m_current->settings().profile) {
        settings.model = m_settingsPanel->defaultModelFor(settings.profile);
        m_parameters->setSettings(settings);
    }
    m_current->setSettings(settings);
}

void ChatWindow::send()
{
    const QString text = m_composer->toPlainText().trimmed();
    if (text.isEmpty() || m_current->isBusy() || !m_settingsPanel->isReady()) {
        return;
    }
    sendComposerText(text);
}

QCoro::Task<void> ChatWindow::sendComposerText(QString text)
{
    QPointer<ChatWindow> self(this);
    QPointer<ChatSession> session(m_current);
    const qint64 edited = m_editedMessage;

    // Settings edited but not applied yet are what the user means to send with.
    if (m_settingsPanel->hasUnappliedChanges()) {
        const bool applied = co_await m_settingsPanel->apply();
        if (!self || !session || !applied) {
            co_return;
        }
        refreshProfiles();
    }

    // After an edit, what was being written before it comes back.
    const QString restored = m_textBeforeEdit;
    setEditMode(0);
    m_textBeforeEdit.clear();
    setPlainTextSafely(m_composer, restored);
    if (edited != 0 && session->hasMessage(edited)) {
        session->editAndResend(edited, text);
    } else {
        // The message being edited is gone (deleted meanwhile): the text goes as a new
        // prompt rather than nowhere.
        session->send(text);
    }
}

void ChatWindow::stop()
{
    m_current->stop();
}

void ChatWindow::startEditing(qint64 messageId, const QString &text)
{
    // A draft written before is kept aside and comes back once the edit is sent or given up.
    if (m_editedMessage == 0) {
        m_textBeforeEdit = m_composer->toPlainText();
    }
    setEditMode(messageId);
    setPlainTextSafely(m_composer, text);
    m_composer->moveCursor(QTextCursor::End);
    m_composer->setFocus();
}

void ChatWindow::cancelEditing()
{
    if (m_editedMessage == 0) {
        return;
    }
    setEditMode(0);
    setPlainTextSafely(m_composer, m_textBeforeEdit);
    m_textBeforeEdit.clear();
}

void ChatWindow::setEditMode(qint64 messageId)
{
    m_editedMessage = messageId;
    m_editBanner->setVisible(messageId != 0);
}

void ChatWindow::onConversationUpdated(qint64 id)
{
    // The message being edited was deleted: its new text stays, to be sent as a new prompt.
    if (m_editedMessage != 0 && m_current->conversationId() == id
        && !m_current->hasMessage(m_editedMessage)) {
        setEditMode(0);
        setStatus(tr("The message being edited was deleted; your text stays here."));
    }
    Q_EMIT conversationsChanged();
}

bool ChatWindow::isEditing() const
{
    return m_editedMessage != 0;
}

void ChatWindow::setStatus(const QString &text, bool isError)
{
    m_status->setText(text);
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText,
                     isError ? MessageWidget::errorColour(this->palette())
                             : this->palette().color(QPalette::WindowText));
    m_status->setPalette(palette);
}

void ChatWindow::updateSendEnabled()
{
    const bool busy = m_current && m_current->isBusy();
    m_send->setEnabled(!busy && m_settingsPanel->isReady());
    m_stop->setEnabled(busy);
}
