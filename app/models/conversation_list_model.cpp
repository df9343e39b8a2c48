#include "models/conversation_list_model.h"

#include "models/conversation_sections.h"

#include <algorithm>

namespace ponder::models {
namespace {

template <typename List>
int indexOfId(const List& rows, qint64 id)
{
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].conversation.id == id)
            return static_cast<int>(i);
    return -1;
}

template <typename List>
bool idsEqual(const List& a, const List& b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const auto& x, const auto& y) { return x.conversation.id == y.conversation.id; });
}

} // namespace

ConversationListModel::ConversationListModel(QObject* parent, std::function<QDate()> today)
    : QAbstractListModel(parent), today_(today ? std::move(today) : [] { return QDate::currentDate(); })
{
}

int ConversationListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant ConversationListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = rows_[static_cast<std::size_t>(index.row())];
    const storage::Conversation& c = row.conversation;
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole: return c.title;
    case ConversationIdRole: return c.id;
    case PinnedRole: return c.pinned;
    case ThinkingRole: return c.thinking;
    case UpdatedAtRole: return c.updatedAt;
    case SectionRole: return row.section;
    default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {{ConversationIdRole, "conversationId"}, {TitleRole, "title"},         {PinnedRole, "pinned"},
            {ThinkingRole, "thinking"},             {UpdatedAtRole, "updatedAt"}, {SectionRole, "section"}};
}

int ConversationListModel::rowOf(qint64 conversationId) const
{
    return indexOfId(rows_, conversationId);
}

const storage::Conversation* ConversationListModel::at(int row) const
{
    return row >= 0 && row < rowCount() ? &rows_[static_cast<std::size_t>(row)].conversation : nullptr;
}

void ConversationListModel::refresh(std::vector<storage::Conversation> conversations)
{
    const QDate today = today_();
    std::vector<Row> rows;
    rows.reserve(conversations.size());
    for (auto& c : conversations) {
        QString section = conversationSection(c.pinned, c.updatedAt, today);
        rows.push_back(Row{std::move(c), std::move(section)});
    }
    if (sameOrder(rows)) {
        updateChanged(rows);
        return;
    }
    int to = -1;
    if (const int from = singleMove(rows, &to); from >= 0) {
        beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
        const Row moved = rows_[static_cast<std::size_t>(from)];
        rows_.erase(rows_.begin() + from);
        rows_.insert(rows_.begin() + to, moved);
        endMoveRows();
        updateChanged(rows);
        return;
    }
    const bool countChanges = rows.size() != rows_.size();
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
    if (countChanges)
        Q_EMIT countChanged();
}

bool ConversationListModel::sameOrder(const std::vector<Row>& rows) const
{
    return idsEqual(rows, rows_);
}

int ConversationListModel::singleMove(const std::vector<Row>& rows, int* to) const
{
    if (rows.size() != rows_.size())
        return -1;
    std::size_t k = 0;
    while (k < rows.size() && rows[k].conversation.id == rows_[k].conversation.id)
        ++k;
    if (k == rows.size())
        return -1;
    const auto movedTo = [&](int from, int destination) {
        std::vector<Row> trial = rows_;
        const Row moved = trial[static_cast<std::size_t>(from)];
        trial.erase(trial.begin() + from);
        trial.insert(trial.begin() + destination, moved);
        return idsEqual(trial, rows);
    };
    // Either a later conversation moved up to k, or the one at k moved down.
    if (const int up = indexOfId(rows_, rows[k].conversation.id); up > static_cast<int>(k) && movedTo(up, static_cast<int>(k))) {
        *to = static_cast<int>(k);
        return up;
    }
    if (const int down = indexOfId(rows, rows_[k].conversation.id); down > static_cast<int>(k) &&
                                                                     movedTo(static_cast<int>(k), down)) {
        *to = down;
        return static_cast<int>(k);
    }
    return -1;
}

// rows_ holds the same conversations in the same order as `rows`: take the new contents, signalling the rows
// whose contents differ.
void ConversationListModel::updateChanged(const std::vector<Row>& rows)
{
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const storage::Conversation& a = rows_[i].conversation;
        const storage::Conversation& b = rows[i].conversation;
        const bool changed = a.title != b.title || a.pinned != b.pinned || a.thinking != b.thinking ||
                             a.updatedAt != b.updatedAt || rows_[i].section != rows[i].section;
        rows_[i] = rows[i];
        if (changed) {
            const QModelIndex index = this->index(static_cast<int>(i));
            Q_EMIT dataChanged(index, index);
        }
    }
}

} // namespace ponder::models
