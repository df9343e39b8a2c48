// pythonJsonDumps: json.dumps(value, ensure_ascii=False) with Python's default separators (", " and ": ").
// Hugging Face transformers replaces Jinja's `tojson` filter with exactly that call, so the tool list and
// object-valued tool-call arguments in a Qwen3 prompt are spelled the Python way, not the nlohmann way.
#include "chat/chat_format.h"
#include "core/error.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <system_error>

namespace ponder {
namespace {

// Python's json string encoder with ensure_ascii=False: the two-character escapes it knows, \u00xx (lower-case
// hex) for the other control characters, and every other byte (DEL and all non-ASCII UTF-8) as is.
void appendPythonString(std::string& out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : text) {
        switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (static_cast<unsigned char>(ch) < 0x20) {
                out += "\\u00";
                out += hex[static_cast<unsigned char>(ch) >> 4];
                out += hex[static_cast<unsigned char>(ch) & 0xf];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

// repr(float): the shortest digit string that reads back as the same double (std::to_chars gives exactly
// that), laid out the way Python's float_repr_style 'short' does: positional when the decimal point falls
// within 16 digits of the first digit and not more than 4 zeros before it (0.0001, 1e-05, 1e+16,
// 1000000000000000.0), always with a '.' in positional form, exponents signed and at least two digits.
void appendPythonFloat(std::string& out, double value)
{
    // json.dumps writes non-finite numbers as JavaScript literals (allow_nan defaults to True).
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value < 0 ? "-Infinity" : "Infinity";
        return;
    }
    if (std::signbit(value))
        out += '-';
    value = std::fabs(value);
    if (value == 0.0) {
        out += "0.0";
        return;
    }

    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    if (result.ec != std::errc())
        throw Error("cannot format the floating-point number " + std::to_string(value) + " as JSON");
    const std::string_view scientific(buffer, static_cast<std::size_t>(result.ptr - buffer)); // "d.ddde+XX"
    const auto e = scientific.find('e');
    std::string digits(scientific.substr(0, e));
    if (digits.size() > 1)
        digits.erase(1, 1); // the '.' after the first digit
    const int exponent = std::atoi(std::string(scientific.substr(e + 1)).c_str());
    const int pointAt = exponent + 1; // value = 0.<digits> * 10^pointAt
    const int count = static_cast<int>(digits.size());

    if (pointAt > -4 && pointAt <= 16) {
        if (pointAt <= 0) {
            out += "0.";
            out.append(static_cast<std::size_t>(-pointAt), '0');
            out += digits;
        } else if (pointAt >= count) {
            out += digits;
            out.append(static_cast<std::size_t>(pointAt - count), '0');
            out += ".0";
        } else {
            out.append(digits, 0, static_cast<std::size_t>(pointAt));
            out += '.';
            out.append(digits, static_cast<std::size_t>(pointAt));
        }
        return;
    }
    out += digits[0];
    if (count > 1) {
        out += '.';
        out.append(digits, 1);
    }
    out += exponent < 0 ? "e-" : "e+";
    const int magnitude = std::abs(exponent);
    if (magnitude < 10)
        out += '0';
    out += std::to_string(magnitude);
}

void appendPythonJson(std::string& out, const nlohmann::ordered_json& value)
{
    using Type = nlohmann::ordered_json::value_t;
    switch (value.type()) {
    case Type::null: out += "null"; break;
    case Type::boolean: out += value.get<bool>() ? "true" : "false"; break;
    case Type::number_integer: out += std::to_string(value.get<std::int64_t>()); break;
    case Type::number_unsigned: out += std::to_string(value.get<std::uint64_t>()); break;
    case Type::number_float: appendPythonFloat(out, value.get<double>()); break;
    case Type::string: appendPythonString(out, value.get_ref<const std::string&>()); break;
    case Type::array: {
        out += '[';
        bool first = true;
        for (const auto& item : value) {
            if (!first)
                out += ", ";
            first = false;
            appendPythonJson(out, item);
        }
        out += ']';
        break;
    }
    case Type::object: {
        out += '{';
        bool first = true;
        for (const auto& [key, item] : value.items()) {
            if (!first)
                out += ", ";
            first = false;
            appendPythonString(out, key);
            out += ": ";
            appendPythonJson(out, item);
        }
        out += '}';
        break;
    }
    case Type::binary:
    case Type::discarded:
        throw Error("cannot write a binary or discarded JSON value the way Python's json.dumps does");
    }
}

} // namespace

std::string pythonJsonDumps(const nlohmann::ordered_json& value)
{
    std::string out;
    appendPythonJson(out, value);
    return out;
}

} // namespace ponder
