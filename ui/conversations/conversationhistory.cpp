#include "ui/conversations/conversationhistory.h"

#include "core/queue/jobqueue.h"
#include "core/store/historyrecorder.h"
#include "core/store/historystore.h"
#include "ui/chat/chatwindow.h"
#include "ui/conversations/conversationlist.h"
#include "ui/settings/providersettingspanel.h"

#include <QAction>
#include <QDockWidget>
#include <QLineEdit>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcConversationList)

namespace {

constexpr qsizetype kTitleLength = 40;

} // namespace

ConversationHistory::ConversationHistory(ChatWindow *window,
                                         std::shared_ptr<QueueBackend> backend,
                                         HistoryStore *store)
    : QObject(window)
    , m_window(window)
    , m_store(store)
    , m_queue(backend->connect(this))
    , m_recorder(new HistoryRecorder(m_queue.get(), store, std::chrono::milliseconds(100), this))
    , m_list(new ConversationList(store))
    , m_dock(new QDockWidget(tr("Conversations"), window))
{
    m_dock->setObjectName(u"conversationsDock"_s);
    m_dock->setWidget(m_list);
    m_dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    window->addDockWidget(Qt::LeftDockWidgetArea, m_dock);
    window->resizeDocks({m_dock}, {240}, Qt::Horizontal);

    // Ctrl+F goes to the search box from anywhere in the window.
    auto *search = new QAction(tr("Search conversations"), window);
    search->setShortcut(QKeySequence::Find);
    window->addAction(search);
    connect(search, &QAction::triggered, m_list, [this] {
        m_dock->show();
        m_list->searchBox()->setFocus();
        m_list->searchBox()->selectAll();
    });

    // Ctrl+PgDown / Ctrl+PgUp walk the list, as tabs do in browsers.
    auto *next = new QAction(tr("Next conversation"), window);
    next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    window->addAction(next);
    connect(next, &QAction::triggered, this, [this] { openAdjacentConversation(1); });
    auto *previous = new QAction(tr("Previous conversation"), window);
    previous->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    window->addAction(previous);
    connect(previous, &QAction::triggered, this, [this] { openAdjacentConversation(-1); });

    connect(window, &ChatWindow::promptSubmitted, this, &ConversationHistory::onPromptSubmitted);
    connect(window,
            &ChatWindow::newConversationStarted,
            this,
            &ConversationHistory::onNewConversation);
    connect(m_list,
            &ConversationList::conversationActivated,
            this,
            &ConversationHistory::openConversation);
    connect(m_list, &ConversationList::newChatRequested, window, &ChatWindow::newConversation);
    connect(m_list,
            &ConversationList::conversationDeleted,
            this,
            &ConversationHistory::onConversationDeleted);

    // Answers that were streaming when the app last ended are followed to their end.
    const int resumed = m_recorder->resumeUnfinished();
    if (resumed > 0) {
        qCInfo(lcConversationList) << "following" << resumed << "unfinished answers";
    }
}

ConversationHistory::~ConversationHistory()
{
    // The recorder writes its last flush through m_queue's watchers; it goes first.
    delete m_recorder;
}

ConversationList *ConversationHistory::list() const
{
    return m_list;
}

HistoryRecorder *ConversationHistory::recorder() const
{
    return m_recorder;
}

QDockWidget *ConversationHistory::dock() const
{
    return m_dock;
}

qint64 ConversationHistory::currentConversation() const
{
    return m_current;
}

QString ConversationHistory::titleFor(const QString &prompt)
{
    const QString line = prompt.simplified();
    if (line.size() <= kTitleLength) {
        return line;
    }

    // Never cut between the two halves of a character outside the BMP (an emoji).
    qsizetype cut = kTitleLength - 1;
    if (line.at(cut - 1).isHighSurrogate()) {
        --cut;
    }
    return line.left(cut).trimmed() + u'…';
}

void ConversationHistory::openConversation(qint64 id)
{
    if (!m_store->conversation(id)) {
        return;
    }
    m_current = id;
    m_list->setCurrentConversation(id);
    m_window->showConversation(m_store->messages(id));
}

bool ConversationHistory::openAdjacentConversation(int step)
{
    const QList<qint64> shown = m_list->shownConversations();
    if (shown.isEmpty()) {
        return false;
    }
    const qsizetype row = shown.indexOf(m_current);
    const qsizetype target = row < 0 ? 0 : row + step;
    if (target < 0 || target >= shown.size()) {
        return false;
    }
    openConversation(shown.at(target));
    return true;
}

void ConversationHistory::onPromptSubmitted(const QString &prompt, const QString &jobId)
{
    if (m_current == 0) {
        const ProviderSettings provider = m_window->settingsPanel()->currentSettings();
        const auto created = m_store->createConversation(titleFor(prompt),
                                                         provider.systemPrompt,
                                                         provider.model);
        if (!created) {
            qCCritical(lcConversationList) << created.error();
            return;
        }
        m_current = created->id;
    }

    HistoryMessage question;
    question.conversationId = m_current;
    question.role = u"user"_s;
    question.content = prompt;
    HistoryMessage answer;
    answer.conversationId = m_current;
    answer.role = u"assistant"_s;
    answer.jobId = jobId;
    answer.status = jobStatusName(JobStatus::Queued);

    const auto storedQuestion = m_store->addMessage(question);
    const auto storedAnswer = m_store->addMessage(answer);
    if (!storedQuestion || !storedAnswer) {
        qCCritical(lcConversationList)
                << (storedQuestion ? storedAnswer.error() : storedQuestion.error());
    } else {
        m_recorder->record(jobId, storedAnswer->id);
    }
    m_list->refresh();
    m_list->setCurrentConversation(m_current);
}

void ConversationHistory::onNewConversation()
{
    m_current = 0;
    m_list->setCurrentConversation(0);
}

void ConversationHistory::onConversationDeleted(qint64 id)
{
    if (id == m_current) {
        m_window->newConversation();
    }
}
