#include "controllers/conversations_controller.h"

#include <exception>

namespace ponder::controllers {

ConversationsController::ConversationsController(storage::ConversationStore& store, ChatController& chat,
                                                 QObject* parent)
    : QObject(parent), store_(store), chat_(chat)
{
    connect(&chat_, &ChatController::conversationsChanged, this, &ConversationsController::refresh);
    refresh();
}

template <typename Change>
void ConversationsController::change(Change&& apply)
{
    try {
        apply();
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
    }
    refresh();
}

void ConversationsController::refresh()
{
    try {
        list_.refresh(searchText_.trimmed().isEmpty() ? store_.listConversations()
                                                      : store_.searchConversations(searchText_));
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
    }
}

void ConversationsController::setSearchText(const QString& text)
{
    if (text == searchText_)
        return;
    searchText_ = text;
    Q_EMIT searchTextChanged();
    refresh();
}

void ConversationsController::open(qint64 id)
{
    chat_.openConversation(id);
}

void ConversationsController::startNew()
{
    chat_.newConversation();
}

void ConversationsController::rename(qint64 id, const QString& title)
{
    change([&] { store_.renameConversation(id, title); });
}

void ConversationsController::setPinned(qint64 id, bool pinned)
{
    change([&] { store_.setPinned(id, pinned); });
}

void ConversationsController::remove(qint64 id)
{
    change([&] {
        // The previous delete can no longer be undone: purge it now rather than leave it hidden for ever.
        if (undoableDelete_ != 0)
            store_.purgeConversation(undoableDelete_);
        store_.deleteConversation(id);
        undoableDelete_ = id;
        if (chat_.conversationId() == id)
            chat_.newConversation();
    });
    Q_EMIT undoableDeleteChanged();
}

void ConversationsController::undoDelete()
{
    if (undoableDelete_ == 0)
        return;
    const qint64 id = undoableDelete_;
    undoableDelete_ = 0;
    change([&] { store_.restoreConversation(id); });
    Q_EMIT undoableDeleteChanged();
}

} // namespace ponder::controllers
