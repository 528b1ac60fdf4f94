#include "ui/conversations/conversationhistory.h"

#include "core/store/historystore.h"
#include "ui/chat/chatsession.h"
#include "ui/chat/chatwindow.h"
#include "ui/conversations/conversationlist.h"

#include <QAction>
#include <QDockWidget>
#include <QLineEdit>

using namespace Qt::StringLiterals;

ConversationHistory::ConversationHistory(ChatWindow *window)
    : QObject(window)
    , m_window(window)
    , m_store(window->historyStore())
    , m_list(new ConversationList(m_store))
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

    connect(window, &ChatWindow::conversationsChanged, m_list, &ConversationList::refresh);
    connect(window, &ChatWindow::streamingChanged, m_list, [this] {
        m_list->setStreamingConversations(m_window->streamingConversations());
    });
    connect(window,
            &ChatWindow::currentConversationChanged,
            m_list,
            &ConversationList::setCurrentConversation);
    connect(m_list,
            &ConversationList::conversationActivated,
            this,
            &ConversationHistory::openConversation);
    connect(m_list, &ConversationList::newChatRequested, window, &ChatWindow::newConversation);
    connect(m_list,
            &ConversationList::conversationDeleted,
            this,
            &ConversationHistory::onConversationDeleted);
    m_list->setCurrentConversation(window->currentConversation());
    m_list->setStreamingConversations(window->streamingConversations());
}

ConversationList *ConversationHistory::list() const
{
    return m_list;
}

HistoryRecorder *ConversationHistory::recorder() const
{
    return m_window->recorder();
}

QDockWidget *ConversationHistory::dock() const
{
    return m_dock;
}

qint64 ConversationHistory::currentConversation() const
{
    return m_window->currentConversation();
}

QString ConversationHistory::titleFor(const QString &prompt)
{
    return ChatSession::titleFor(prompt);
}

void ConversationHistory::openConversation(qint64 id)
{
    m_window->openConversation(id);
}

bool ConversationHistory::openAdjacentConversation(int step)
{
    const QList<qint64> shown = m_list->shownConversations();
    if (shown.isEmpty()) {
        return false;
    }
    const qsizetype row = shown.indexOf(m_window->currentConversation());
    const qsizetype target = row < 0 ? 0 : row + step;
    if (target < 0 || target >= shown.size()) {
        return false;
    }
    openConversation(shown.at(target));
    return true;
}

void ConversationHistory::onConversationDeleted(qint64 id)
{
    m_window->conversationDeleted(id);
}
