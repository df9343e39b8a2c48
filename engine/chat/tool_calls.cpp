#include "chat/tool_calls.h"

#include "chat/chat_format.h"
#include "core/error.h"

namespace ponder {

bool jinjaTruthy(const nlohmann::ordered_json& value)
{
    using Type = nlohmann::ordered_json::value_t;
    switch (value.type()) {
    case Type::null: return false;
    case Type::boolean: return value.get<bool>();
    case Type::number_integer: return value.get<std::int64_t>() != 0;
    case Type::number_unsigned: return value.get<std::uint64_t>() != 0;
    case Type::number_float: return value.get<double>() != 0.0;
    case Type::string:
    case Type::array:
    case Type::object: return !value.empty();
    case Type::binary:
    case Type::discarded: return false;
    }
    return false;
}

const nlohmann::ordered_json& toolCallFunction(const nlohmann::ordered_json& call, const std::string& where)
{
    if (!call.is_object())
        throw Error(where + " must be an object, not " + call.type_name());
    const nlohmann::ordered_json* function = &call;
    if (const auto it = call.find("function"); it != call.end() && jinjaTruthy(*it)) {
        if (!it->is_object())
            throw Error(where + ": \"function\" must be an object, not " + it->type_name());
        function = &*it;
    }
    const auto name = function->find("name");
    if (name == function->end() || !name->is_string())
        throw Error(where + " needs a string \"name\"");
    if (!function->contains("arguments"))
        throw Error(where + " (\"" + name->get<std::string>() + "\") has no \"arguments\"");
    return *function;
}

void validateToolCalls(const nlohmann::ordered_json& calls, const std::string& where)
{
    if (calls.is_null())
        return;
    if (!calls.is_array())
        throw Error(where + ": tool_calls must be an array, not " + std::string(calls.type_name()));
    for (std::size_t i = 0; i < calls.size(); ++i)
        toolCallFunction(calls[i], where + ": tool_calls[" + std::to_string(i) + "]");
}

void appendToolCalls(std::string& out, const nlohmann::ordered_json& calls, bool contentIsTruthy,
                     const std::string& where)
{
    validateToolCalls(calls, where);
    if (calls.is_null())
        return;
    for (std::size_t i = 0; i < calls.size(); ++i) {
        if (i > 0 || contentIsTruthy)
            out += '\n';
        const auto& function = toolCallFunction(calls[i], where + ": tool_calls[" + std::to_string(i) + "]");
        out += "<tool_call>\n{\"name\": \"";
        out += function["name"].get_ref<const std::string&>();
        out += "\", \"arguments\": ";
        // A string is written as given (it is meant to be JSON already); anything else goes through tojson.
        const auto& arguments = function["arguments"];
        if (arguments.is_string())
            out += arguments.get_ref<const std::string&>();
        else
            out += pythonJsonDumps(arguments);
        out += "}\n</tool_call>";
    }
}

} // namespace ponder
