#pragma once
// One conversation's transcript: its messages in order. A streaming reply grows through appendStreamed(),
// which signals only that row and only the roles that changed, so the view re-lays out one delegate per
// update rather than the whole list.
#include "storage/records.h"

#include <QAbstractListModel>

#include <vector>

namespace ponder::models {

// What arrived for a streaming reply since the last update: new text, and the running totals.
struct StreamedText {
    QString reasoning;
    QString content;
    int reasoningTokens = 0;
    int tokens = 0;
    double reasoningSeconds = 0;
    bool reasoningCut = false;
};

class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        MessageIdRole = Qt::UserRole + 1,
        RoleRole,             // "system", "user", "assistant"
        ContentRole,
        ReasoningRole,
        ReasoningTokensRole,
        ReasoningSecondsRole,
        ReasoningCutRole,     // the thinking budget ended the reasoning
        TokensRole,
        TokensPerSecondRole,
        StatusRole,           // "streaming", "complete", "cancelled", "error"
        ErrorRole,
        CreatedAtRole,
        BlocksRole,           // the content cut into prose and code blocks (markdown_blocks.h)
    };
    Q_ENUM(Role)

    explicit MessageListModel(QObject* parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    void setMessages(std::vector<storage::Message> messages);
    void append(const storage::Message& message);
    // Replaces the row of message.id (a finished reply, an edit).
    void update(const storage::Message& message);
    void appendStreamed(qint64 messageId, const StreamedText& streamed);
    // Removes the message and every later one ("regenerate", "edit and resend").
    void removeFrom(qint64 messageId);
    // Removes that one message's row ("delete"); later rows move up.
    void remove(qint64 messageId);

    [[nodiscard]] int rowOf(qint64 messageId) const; // -1 when absent
    [[nodiscard]] const storage::Message* at(int row) const;

Q_SIGNALS:
    void countChanged();

private:
    void changed(int row, const QList<int>& roles);

    std::vector<storage::Message> messages_;
};

} // namespace ponder::models
