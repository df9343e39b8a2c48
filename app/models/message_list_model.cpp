#include "models/message_list_model.h"

#include "models/markdown_blocks.h"

namespace ponder::models {

MessageListModel::MessageListModel(QObject* parent) : QAbstractListModel(parent) {}

int MessageListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(messages_.size());
}

QVariant MessageListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const storage::Message& m = messages_[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case ContentRole: return m.content;
    case BlocksRole: return markdownBlocksVariant(m.content);
    case MessageIdRole: return m.id;
    case RoleRole: return storage::roleName(m.role);
    case ReasoningRole: return m.reasoning;
    case ReasoningTokensRole: return m.reasoningTokens;
    case ReasoningSecondsRole: return m.reasoningSeconds;
    case ReasoningCutRole: return m.reasoningCut;
    case TokensRole: return m.tokens;
    case TokensPerSecondRole: return m.tokensPerSecond;
    case StatusRole: return storage::statusName(m.status);
    case ErrorRole: return m.error;
    case CreatedAtRole: return m.createdAt;
    default: return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {{MessageIdRole, "messageId"},
            {RoleRole, "role"},
            {ContentRole, "content"},
            {BlocksRole, "blocks"},
            {ReasoningRole, "reasoning"},
            {ReasoningTokensRole, "reasoningTokens"},
            {ReasoningSecondsRole, "reasoningSeconds"},
            {ReasoningCutRole, "reasoningCut"},
            {TokensRole, "tokens"},
            {TokensPerSecondRole, "tokensPerSecond"},
            {StatusRole, "status"},
            {ErrorRole, "error"},
            {CreatedAtRole, "createdAt"}};
}

void MessageListModel::setMessages(std::vector<storage::Message> messages)
{
    const bool countChanges = messages.size() != messages_.size();
    beginResetModel();
    messages_ = std::move(messages);
    endResetModel();
    if (countChanges)
        Q_EMIT countChanged();
}

void MessageListModel::append(const storage::Message& message)
{
    const int row = rowCount();
    beginInsertRows({}, row, row);
    messages_.push_back(message);
    endInsertRows();
    Q_EMIT countChanged();
}

void MessageListModel::update(const storage::Message& message)
{
    const int row = rowOf(message.id);
    if (row < 0)
        return;
    messages_[static_cast<std::size_t>(row)] = message;
    changed(row, {});
}

void MessageListModel::appendStreamed(qint64 messageId, const StreamedText& streamed)
{
    const int row = rowOf(messageId);
    if (row < 0)
        return;
    storage::Message& m = messages_[static_cast<std::size_t>(row)];
    QList<int> roles;
    if (!streamed.reasoning.isEmpty()) {
        m.reasoning += streamed.reasoning;
        roles << ReasoningRole;
    }
    if (!streamed.content.isEmpty()) {
        m.content += streamed.content;
        roles << ContentRole << BlocksRole;
    }
    const auto set = [&](auto& field, auto value, Role role) {
        if (field != value) {
            field = value;
            roles << role;
        }
    };
    set(m.reasoningTokens, streamed.reasoningTokens, ReasoningTokensRole);
    set(m.tokens, streamed.tokens, TokensRole);
    set(m.reasoningSeconds, streamed.reasoningSeconds, ReasoningSecondsRole);
    set(m.reasoningCut, streamed.reasoningCut, ReasoningCutRole);
    if (!roles.isEmpty())
        changed(row, roles);
}

void MessageListModel::removeFrom(qint64 messageId)
{
    const int row = rowOf(messageId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, rowCount() - 1);
    messages_.erase(messages_.begin() + row, messages_.end());
    endRemoveRows();
    Q_EMIT countChanged();
}

void MessageListModel::remove(qint64 messageId)
{
    const int row = rowOf(messageId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    messages_.erase(messages_.begin() + row);
    endRemoveRows();
    Q_EMIT countChanged();
}

int MessageListModel::rowOf(qint64 messageId) const
{
    for (std::size_t i = 0; i < messages_.size(); ++i)
        if (messages_[i].id == messageId)
            return static_cast<int>(i);
    return -1;
}

const storage::Message* MessageListModel::at(int row) const
{
    return row >= 0 && row < rowCount() ? &messages_[static_cast<std::size_t>(row)] : nullptr;
}

void MessageListModel::changed(int row, const QList<int>& roles)
{
    const QModelIndex index = this->index(row);
    Q_EMIT dataChanged(index, index, roles);
}

} // namespace ponder::models
