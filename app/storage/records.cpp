#include "records.h"

#include <array>
#include <utility>

namespace ponder::storage {

namespace {

// The database's CHECK constraints (schema_migrations.cpp) list the same words.
constexpr std::array roleNames{std::pair{MessageRole::System, "system"}, std::pair{MessageRole::User, "user"},
                               std::pair{MessageRole::Assistant, "assistant"}};
constexpr std::array statusNames{
    std::pair{MessageStatus::Streaming, "streaming"}, std::pair{MessageStatus::Complete, "complete"},
    std::pair{MessageStatus::Cancelled, "cancelled"}, std::pair{MessageStatus::Error, "error"}};

template <typename Names, typename Value> QString nameOf(const Names& names, Value value)
{
    for (const auto& [v, name] : names)
        if (v == value)
            return QString::fromLatin1(name);
    return {};
}

template <typename Value, typename Names> std::optional<Value> valueOf(const Names& names, const QString& name)
{
    for (const auto& [v, n] : names)
        if (name == QLatin1String(n))
            return v;
    return std::nullopt;
}

} // namespace

QString roleName(MessageRole role) { return nameOf(roleNames, role); }
QString statusName(MessageStatus status) { return nameOf(statusNames, status); }
std::optional<MessageRole> roleFromName(const QString& name) { return valueOf<MessageRole>(roleNames, name); }
std::optional<MessageStatus> statusFromName(const QString& name)
{
    return valueOf<MessageStatus>(statusNames, name);
}

} // namespace ponder::storage
