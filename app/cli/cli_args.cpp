#include "cli_args.h"

#include <charconv>
#include <cmath>

namespace ponder::cli {

CliArgs::CliArgs(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
                 const std::set<std::string>& flags)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.size() > 2 && arg.rfind("--", 0) == 0) {
            const std::string name = arg.substr(2);
            if (flags.count(name)) {
                flags_.insert(name);
            } else if (valueOptions.count(name)) {
                if (i + 1 >= args.size())
                    throw UsageError("--" + name + " needs a value");
                values_[name] = args[++i];
            } else {
                throw UsageError("unknown option --" + name);
            }
        } else if (arg.size() > 1 && arg[0] == '-' && (flags.count(arg) || valueOptions.count(arg))) {
            if (flags.count(arg)) {
                flags_.insert(arg);
            } else {
                if (i + 1 >= args.size())
                    throw UsageError(arg + " needs a value");
                values_[arg] = args[++i];
            }
        } else {
            positionals_.push_back(arg);
        }
    }
}

std::optional<std::string> CliArgs::value(const std::string& name) const
{
    auto it = values_.find(name);
    if (it == values_.end())
        return std::nullopt;
    return it->second;
}

std::string CliArgs::required(const std::string& name) const
{
    auto v = value(name);
    if (!v)
        throw UsageError(optionLabel(name) + " is required");
    return *v;
}

std::string CliArgs::single(const char* what) const
{
    if (positionals_.size() != 1)
        throw UsageError(std::string("expected one ") + what + " argument");
    return positionals_.front();
}

long long parseInteger(const std::string& text, const std::string& option)
{
    long long value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end)
        throw UsageError(option + ": '" + text + "' is not an integer");
    return value;
}

double parseNumber(const std::string& text, const std::string& option)
{
    double value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value))
        throw UsageError(option + ": '" + text + "' is not a number");
    return value;
}

std::string optionLabel(const std::string& name) { return name.rfind('-', 0) == 0 ? name : "--" + name; }

} // namespace ponder::cli
