#include "ui/conversations/conversationlist.h"

#include "core/store/conversationexport.h"
#include "core/store/historystore.h"

#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLoggingCategory>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

Q_LOGGING_CATEGORY(lcConversationList, "chatqueue.ui.conversations")

namespace {

constexpr int kIdRole = Qt::UserRole;
constexpr int kPinnedRole = Qt::UserRole + 1;

// A file name made of the title, without the characters Windows forbids in one.
QString suggestedFileName(const QString &title, const QString &suffix)
{
    QString name = title.simplified();
    for (QChar &c : name) {
        if (u"<>:\"/\\|?*"_s.contains(c) || c.unicode() < 0x20) {
            c = u'_';
        }
    }
    return (name.isEmpty() ? u"conversation"_s : name) + suffix;
}

qint64 idOf(const QListWidgetItem *item)
{
    return item ? item->data(kIdRole).toLongLong() : 0;
}

} // namespace

ConversationList::ConversationList(HistoryStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_search(new QLineEdit(this))
    , m_newChat(new QPushButton(tr("New chat"), this))
    , m_list(new QListWidget(this))
    , m_undoBar(new QWidget(this))
    , m_undoLabel(new QLabel(tr("Conversation deleted."), m_undoBar))
    , m_undo(new QPushButton(tr("Undo"), m_undoBar))
{
    m_search->setPlaceholderText(tr("Search conversations"));
    m_search->setClearButtonEnabled(true);
    m_newChat->setToolTip(tr("Start a new conversation (Ctrl+N)"));

    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setEditTriggers(QAbstractItemView::EditKeyPressed);
    m_list->setUniformItemSizes(true);
    m_list->setTextElideMode(Qt::ElideRight);

    auto *undoLayout = new QHBoxLayout(m_undoBar);
    undoLayout->setContentsMargins(4, 2, 4, 2);
    undoLayout->addWidget(m_undoLabel, 1);
    undoLayout->addWidget(m_undo);
    m_undoBar->hide();

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_newChat);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_undoBar);

    m_undoTimer.setSingleShot(true);
    m_undoTimer.setInterval(10s);

    connect(m_search, &QLineEdit::textChanged, this, &ConversationList::refresh);
    connect(m_newChat, &QPushButton::clicked, this, &ConversationList::newChatRequested);
    connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *current) {
        onCurrentItemChanged(current);
    });
    connect(m_list, &QListWidget::itemChanged, this, &ConversationList::onItemChanged);
    connect(m_list, &QWidget::customContextMenuRequested, this, &ConversationList::showContextMenu);
    connect(m_undo, &QPushButton::clicked, this, &ConversationList::undoDelete);
    connect(&m_undoTimer, &QTimer::timeout, this, &ConversationList::purgePendingDelete);

    refresh();
}

ConversationList::~ConversationList()
{
    // A deletion nobody undid is final.
    purgePendingDelete();
}

QLineEdit *ConversationList::searchBox() const
{
    return m_search;
}

QListWidget *ConversationList::listWidget() const
{
    return m_list;
}

QPushButton *ConversationList::newChatButton() const
{
    return m_newChat;
}

QWidget *ConversationList::undoBar() const
{
    return m_undoBar;
}

QPushButton *ConversationList::undoButton() const
{
    return m_undo;
}

void ConversationList::setUndoTimeout(std::chrono::milliseconds timeout)
{
    m_undoTimer.setInterval(timeout);
}

void ConversationList::refresh()
{
    m_updating = true;
    m_list->clear();
    const QList<Conversation> conversations = m_store->search(m_search->text().trimmed());
    for (const Conversation &conversation : conversations) {
        const QString title =
                conversation.title.isEmpty() ? tr("Untitled conversation") : conversation.title;
        auto *item = new QListWidgetItem(title, m_list);
        item->setData(kIdRole, conversation.id);
        item->setData(kPinnedRole, conversation.pinned);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
        item->setToolTip(conversation.pinned ? tr("%1 (pinned)").arg(title) : title);
        if (conversation.pinned) {
            QFont font = item->font();
            font.setBold(true);
            item->setFont(font);
        }
        markStreaming(item);
        if (conversation.id == m_current) {
            m_list->setCurrentItem(item);
        }
    }
    m_updating = false;
}

void ConversationList::setStreamingConversations(const QSet<qint64> &ids)
{
    m_streaming = ids;
    for (int row = 0; row < m_list->count(); ++row) {
        markStreaming(m_list->item(row));
    }
}

bool ConversationList::isMarkedStreaming(qint64 id) const
{
    const QListWidgetItem *item = itemFor(id);
    return item && !item->icon().isNull();
}

void ConversationList::markStreaming(QListWidgetItem *item)
{
    const bool streaming = m_streaming.contains(item->data(kIdRole).toLongLong());
    if (!streaming) {
        item->setIcon(QIcon());
        return;
    }

    // A dot in the highlight colour, drawn here so that every style and theme shows it.
    if (m_streamingIcon.isNull()) {
        const qreal ratio = devicePixelRatioF();
        QPixmap dot(QSize(12, 12) * ratio);
        dot.setDevicePixelRatio(ratio);
        dot.fill(Qt::transparent);
        QPainter painter(&dot);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(palette().color(QPalette::Highlight));
        painter.drawEllipse(QRectF(2, 2, 8, 8));
        painter.end();
        m_streamingIcon = QIcon(dot);
    }
    item->setIcon(m_streamingIcon);
    item->setToolTip(tr("%1 (answer streaming)").arg(item->text()));
}

void ConversationList::setCurrentConversation(qint64 id)
{
    m_current = id;
    m_updating = true;
    QListWidgetItem *item = itemFor(id);
    if (item) {
        m_list->setCurrentItem(item);
    } else {
        m_list->setCurrentItem(nullptr);
        m_list->clearSelection();
    }
    m_updating = false;
}

qint64 ConversationList::currentConversation() const
{
    return m_current;
}

QList<qint64> ConversationList::shownConversations() const
{
    QList<qint64> ids;
    for (int row = 0; row < m_list->count(); ++row) {
        ids.append(idOf(m_list->item(row)));
    }
    return ids;
}

void ConversationList::renameConversation(qint64 id, const QString &title)
{
    const QString trimmed = title.simplified();
    if (trimmed.isEmpty()) {
        refresh();
        return;
    }
    if (const auto renamed = m_store->rename(id, trimmed); !renamed) {
        qCWarning(lcConversationList) << renamed.error();
    }
    refresh();
}

void ConversationList::setPinned(qint64 id, bool pinned)
{
    if (const auto written = m_store->setPinned(id, pinned); !written) {
        qCWarning(lcConversationList) << written.error();
    }
    refresh();
}

void ConversationList::deleteConversation(qint64 id)
{
    // Only the last deletion can be undone; an earlier one becomes final now.
    purgePendingDelete();
    if (const auto removed = m_store->remove(id); !removed) {
        qCWarning(lcConversationList) << removed.error();
        return;
    }
    m_pendingDelete = id;
    const std::optional<Conversation> conversation = m_store->conversation(id);
    const QString title = conversation ? conversation->title : QString();
    m_undoLabel->setText(
            tr("Deleted \"%1\".")
                    .arg(m_undoLabel->fontMetrics().elidedText(title, Qt::ElideRight, 160)));
    m_undoBar->show();
    m_undoTimer.start();
    if (m_current == id) {
        m_current = 0;
    }
    refresh();
    Q_EMIT conversationDeleted(id);
}

void ConversationList::undoDelete()
{
    if (m_pendingDelete == 0) {
        return;
    }
    const qint64 id = m_pendingDelete;
    m_pendingDelete = 0;
    m_undoTimer.stop();
    m_undoBar->hide();
    if (const auto restored = m_store->restore(id); !restored) {
        qCWarning(lcConversationList) << restored.error();
        return;
    }
    refresh();
    Q_EMIT conversationRestored(id);
}

void ConversationList::purgePendingDelete()
{
    m_undoTimer.stop();
    m_undoBar->hide();
    if (m_pendingDelete == 0) {
        return;
    }
    if (const auto purged = m_store->purge(m_pendingDelete); !purged) {
        qCWarning(lcConversationList) << purged.error();
    }
    m_pendingDelete = 0;
}

Result<void, QString>
ConversationList::exportConversation(qint64 id, const QString &filePath, ExportFormat format) const
{
    const std::optional<Conversation> conversation = m_store->conversation(id);
    if (!conversation) {
        return tr("The conversation no longer exists.");
    }
    const ConversationExport exported{*conversation, m_store->messages(id)};
    const QByteArray bytes =
            format == ExportFormat::Json ? exported.toJson() : exported.toMarkdown().toUtf8();

    // Written beside the target and renamed over it, so a failed export leaves no half file.
    QSaveFile file(filePath);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        return tr("Cannot write %1: %2").arg(filePath, file.errorString());
    }
    return {};
}

Result<qint64, QString> ConversationList::importConversation(const QString &filePath)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        return tr("Cannot read %1: %2").arg(filePath, file.errorString());
    }
    const auto parsed = ConversationExport::fromJson(file.readAll());
    if (!parsed) {
        return tr("Cannot import %1: %2").arg(filePath, parsed.error());
    }
    const auto stored = m_store->importConversation(parsed->conversation, parsed->messages);
    if (!stored) {
        return stored.error();
    }
    refresh();
    return stored->id;
}

void ConversationList::chooseExportFile(qint64 id, ExportFormat format)
{
    const std::optional<Conversation> conversation = m_store->conversation(id);
    if (!conversation) {
        return;
    }
    const bool json = format == ExportFormat::Json;
    const QString filePath = QFileDialog::getSaveFileName(
            this,
            tr("Export conversation"),
            suggestedFileName(conversation->title, json ? u".json"_s : u".md"_s),
            json ? tr("JSON (*.json)") : tr("Markdown (*.md)"));
    if (filePath.isEmpty()) {
        return;
    }
    if (const auto written = exportConversation(id, filePath, format); !written) {
        QMessageBox::warning(this, tr("Export conversation"), written.error());
    }
}

void ConversationList::chooseImportFile()
{
    const QString filePath = QFileDialog::getOpenFileName(this,
                                                          tr("Import conversation"),
                                                          QString(),
                                                          tr("JSON (*.json)"));
    if (filePath.isEmpty()) {
        return;
    }
    const auto imported = importConversation(filePath);
    if (!imported) {
        QMessageBox::warning(this, tr("Import conversation"), imported.error());
        return;
    }
    m_current = *imported;
    setCurrentConversation(*imported);
    Q_EMIT conversationActivated(*imported);
}

void ConversationList::showContextMenu(const QPoint &position)
{
    QListWidgetItem *item = m_list->itemAt(position);
    if (!item) {
        QMenu menu(this);
        menu.addAction(tr("Import conversation…"), this, &ConversationList::chooseImportFile);
        menu.exec(m_list->viewport()->mapToGlobal(position));
        return;
    }
    const qint64 id = idOf(item);
    const bool pinned = item->data(kPinnedRole).toBool();

    QMenu menu(this);
    menu.addAction(tr("Rename"), this, [this, id] {
        if (QListWidgetItem *current = itemFor(id)) {
            m_list->editItem(current);
        }
    });
    menu.addAction(pinned ? tr("Unpin") : tr("Pin"), this, [this, id, pinned] {
        setPinned(id, !pinned);
    });
    menu.addSeparator();
    menu.addAction(tr("Export as Markdown…"), this, [this, id] {
        chooseExportFile(id, ExportFormat::Markdown);
    });
    menu.addAction(tr("Export as JSON…"), this, [this, id] {
        chooseExportFile(id, ExportFormat::Json);
    });
    menu.addAction(tr("Import conversation…"), this, &ConversationList::chooseImportFile);
    menu.addSeparator();
    menu.addAction(tr("Delete"), this, [this, id] { deleteConversation(id); });
    menu.exec(m_list->viewport()->mapToGlobal(position));
}

void ConversationList::onCurrentItemChanged(QListWidgetItem *current)
{
    if (m_updating || !current) {
        return;
    }
    const qint64 id = idOf(current);
    if (id == m_current) {
        return;
    }
    m_current = id;
    Q_EMIT conversationActivated(id);
}

void ConversationList::onItemChanged(QListWidgetItem *item)
{
    // Editing in place ends here; the list's own changes while it refreshes do not count.
    if (m_updating || !item) {
        return;
    }
    const std::optional<Conversation> stored = m_store->conversation(idOf(item));
    if (stored && stored->title != item->text()) {
        QMetaObject::invokeMethod(
                this,
                [this, id = stored->id, title = item->text()] { renameConversation(id, title); },
                Qt::QueuedConnection);
    }
}

QListWidgetItem *ConversationList::itemFor(qint64 id) const
{
    for (int row = 0; row < m_list->count(); ++row) {
        if (idOf(m_list->item(row)) == id) {
            return m_list->item(row);
        }
    }
    return nullptr;
}
