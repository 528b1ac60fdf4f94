#pragma once

#include "core/util/result.h"

#include <QIcon>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <chrono>

class HistoryStore;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

// The sidebar of conversations: a search box, a New chat button and the list, pinned first
// and then the most recently updated. Its context menu renames (in place), pins and deletes.
// A deletion can be undone from a bar under the list until the bar times out or another
// conversation is deleted; only then is the conversation removed from the store for good.
class ConversationList : public QWidget
{
    Q_OBJECT

public:
    explicit ConversationList(HistoryStore *store, QWidget *parent = nullptr);
    ~ConversationList() override;

    QLineEdit *searchBox() const;
    QListWidget *listWidget() const;
    QPushButton *newChatButton() const;
    QWidget *undoBar() const;
    QPushButton *undoButton() const;

    // Reads the list again from the store, filtered by the search box.
    void refresh();

    // Marks `id` as the conversation shown (0: none) without reporting it as activated.
    void setCurrentConversation(qint64 id);

    // Conversations whose answer is streaming now; their entries carry a mark.
    void setStreamingConversations(const QSet<qint64> &ids);
    bool isMarkedStreaming(qint64 id) const;
    qint64 currentConversation() const;

    // The ids shown, top to bottom.
    QList<qint64> shownConversations() const;

    void renameConversation(qint64 id, const QString &title);
    void setPinned(qint64 id, bool pinned);
    void deleteConversation(qint64 id);
    void undoDelete();

    enum class ExportFormat {
        Markdown,
        Json,
    };

    // Writes conversation `id` to `filePath`; on failure, a message for the user.
    Result<void, QString>
    exportConversation(qint64 id, const QString &filePath, ExportFormat format) const;

    // Reads an exported JSON file into a new conversation and lists it; its id, or a
    // message for the user.
    Result<qint64, QString> importConversation(const QString &filePath);

    // How long the undo bar stays after a deletion.
    void setUndoTimeout(std::chrono::milliseconds timeout);

Q_SIGNALS:
    void conversationActivated(qint64 id);
    void newChatRequested();
    // The conversation is gone from the list (restorable until the undo bar closes).
    void conversationDeleted(qint64 id);
    void conversationRestored(qint64 id);

private:
    void showContextMenu(const QPoint &position);
    void chooseExportFile(qint64 id, ExportFormat format);
    void chooseImportFile();
    void onCurrentItemChanged(QListWidgetItem *current);
    void onItemChanged(QListWidgetItem *item);
    void purgePendingDelete();
    QListWidgetItem *itemFor(qint64 id) const;

    HistoryStore *m_store;
    QLineEdit *m_search;
    QPushButton *m_newChat;
    QListWidget *m_list;
    QWidget *m_undoBar;
    QLabel *m_undoLabel;
    QPushButton *m_undo;
    QTimer m_undoTimer;
    void markStreaming(QListWidgetItem *item);

    QSet<qint64> m_streaming;
    QIcon m_streamingIcon;
    qint64 m_current = 0;
    qint64 m_pendingDelete = 0;
    bool m_updating = false;
};
