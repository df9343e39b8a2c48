#include "controllers/conversations_controller.h"

#include "controllers/export_file.h"

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

bool ConversationsController::exportConversation(qint64 id, const QUrl& file, const QString& format)
{
    const auto kind = exportFormatFromName(format);
    if (!kind) {
        Q_EMIT errorOccurred(tr("Cannot export as '%1': choose Markdown or JSON.").arg(format));
        return false;
    }
    if (!file.isLocalFile()) {
        Q_EMIT errorOccurred(tr("Cannot export to %1: choose a file on this computer.").arg(file.toDisplayString()));
        return false;
    }
    QByteArray bytes;
    try {
        const auto conversation = store_.conversation(id);
        if (!conversation) {
            Q_EMIT errorOccurred(tr("That conversation no longer exists."));
            return false;
        }
        bytes = exportBytes(*kind, *conversation, store_.messages(id));
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
        return false;
    }
    if (const QString failure = writeExportFile(file.toLocalFile(), bytes); !failure.isEmpty()) {
        Q_EMIT errorOccurred(failure);
        return false;
    }
    return true;
}

QString ConversationsController::exportFileName(qint64 id, const QString& format) const
{
    try {
        const auto conversation = store_.conversation(id);
        return suggestedExportName(conversation ? conversation->title : QString(),
                                   exportFormatFromName(format).value_or(ExportFormat::Markdown));
    } catch (const std::exception&) {
        return suggestedExportName(QString(), ExportFormat::Markdown);
    }
}

} // namespace ponder::controllers
