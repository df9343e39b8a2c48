#pragma once
// The sidebar's list: live conversations in the store's order (pinned first, then most recently updated),
// each with its date section. Filled from ConversationStore::listConversations() or searchConversations();
// refresh() keeps rows (and so the view's selection and scroll) when only their contents changed, and moves a
// single conversation that changed place (the one just written to jumps to the top) instead of a reset.
#include "storage/records.h"

#include <QAbstractListModel>
#include <QDate>

#include <functional>
#include <vector>

namespace ponder::models {

class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        ConversationIdRole = Qt::UserRole + 1,
        TitleRole,
        PinnedRole,
        ThinkingRole,
        UpdatedAtRole,
        SectionRole, // conversationSection(): "pinned", "today", ...
    };
    Q_ENUM(Role)

    // `today` is asked at each refresh (tests give a fixed date).
    explicit ConversationListModel(QObject* parent = nullptr, std::function<QDate()> today = {});

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    void refresh(std::vector<storage::Conversation> conversations);
    [[nodiscard]] int rowOf(qint64 conversationId) const; // -1 when absent
    [[nodiscard]] const storage::Conversation* at(int row) const;

Q_SIGNALS:
    void countChanged();

private:
    struct Row {
        storage::Conversation conversation;
        QString section;
    };
    bool sameOrder(const std::vector<Row>& rows) const;
    // The row that moved, when `rows` is the current list with exactly one conversation moved; else -1.
    int singleMove(const std::vector<Row>& rows, int* to) const;
    void updateChanged(const std::vector<Row>& rows);

    std::function<QDate()> today_;
    std::vector<Row> rows_;
};

} // namespace ponder::models
