#pragma once
// Tool calls inside assistant messages, in the two shapes the Qwen3 template accepts: the OpenAI one
// ({"type": "function", "function": {"name": ..., "arguments": ...}}) and the bare {"name": ..., "arguments": ...}.
#include <nlohmann/json.hpp>

#include <string>

namespace ponder {

// Jinja's truthiness of a JSON value: null, false, 0, "" and empty arrays/objects are false.
bool jinjaTruthy(const nlohmann::ordered_json& value);

// The object holding "name" and "arguments" (the "function" member when it is truthy, as the template's
// `{% if tool_call.function %}` decides). Throws ponder::Error naming `where` when the call is malformed:
// not an object, no string "name", or no "arguments" (the template would print an empty name or fail).
const nlohmann::ordered_json& toolCallFunction(const nlohmann::ordered_json& call, const std::string& where);

// Checks `calls` is null or an array of well-formed tool calls; throws ponder::Error naming `where`.
void validateToolCalls(const nlohmann::ordered_json& calls, const std::string& where);

// Appends the <tool_call> blocks for one assistant turn. `contentIsTruthy`: the turn's (parsed) content is
// not empty, which puts a '\n' before the first block; later blocks always get one.
void appendToolCalls(std::string& out, const nlohmann::ordered_json& calls, bool contentIsTruthy,
                     const std::string& where);

} // namespace ponder
