#pragma once
// The sidebar: the conversation list (with search across titles and message text), and the actions on it —
// open, new, rename, pin, delete with undo, export to a file. It keeps the list in step with the open
// conversation's changes.
#include "controllers/chat_controller.h"
#include "models/conversation_list_model.h"

#include <QObject>
#include <QUrl>

namespace ponder::controllers {

class ConversationsController : public QObject {
    Q_OBJECT
    Q_PROPERTY(ponder::models::ConversationListModel* list READ list CONSTANT)
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY searchTextChanged)
    // The conversation the last delete removed, which undoDelete() brings back (0: none).
    Q_PROPERTY(qint64 undoableDelete READ undoableDelete NOTIFY undoableDeleteChanged)

public:
    ConversationsController(storage::ConversationStore& store, ChatController& chat, QObject* parent = nullptr);

    models::ConversationListModel* list() { return &list_; }
    QString searchText() const { return searchText_; }
    void setSearchText(const QString& text);
    qint64 undoableDelete() const { return undoableDelete_; }

    Q_INVOKABLE void open(qint64 id);
    Q_INVOKABLE void startNew();
    Q_INVOKABLE void rename(qint64 id, const QString& title);
    Q_INVOKABLE void setPinned(qint64 id, bool pinned);
    Q_INVOKABLE void remove(qint64 id);
    Q_INVOKABLE void undoDelete();
    Q_INVOKABLE void refresh();
    // Writes the conversation to `file` (a local file URL, as the save dialog gives it) as "markdown" or
    // "json" (storage/conversation_export.h). False, with errorOccurred naming the problem, when it cannot.
    Q_INVOKABLE bool exportConversation(qint64 id, const QUrl& file, const QString& format);
    // The file name the save dialog suggests for that export (the title and the format's extension).
    Q_INVOKABLE QString exportFileName(qint64 id, const QString& format) const;

Q_SIGNALS:
    void searchTextChanged();
    void undoableDeleteChanged();
    void errorOccurred(const QString& message);

private:
    template <typename Change>
    void change(Change&& apply);

    storage::ConversationStore& store_;
    ChatController& chat_;
    models::ConversationListModel list_;
    QString searchText_;
    qint64 undoableDelete_ = 0;
};

} // namespace ponder::controllers
