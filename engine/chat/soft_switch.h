#pragma once
// Qwen3's soft switches: "/think" or "/no_think" written in a user message turns thinking on or off from
// that turn on. The chat template passes them through verbatim (the model was trained on them); ponder-cli's
// `chat` and the app also read them to set the template's enable_thinking flag, because with the flag off the
// template closes the think block before the model could act on a "/think".
#include <optional>
#include <string_view>

namespace ponder {

// The mode the last switch in `text` asks for (true for /think), or nullopt when it has none. A switch is a
// whole word: "/thinking" or "a/think" are not switches, "Say it again。/no_think" is.
std::optional<bool> softSwitch(std::string_view text);

} // namespace ponder
