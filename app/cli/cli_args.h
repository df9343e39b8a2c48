#pragma once
// Command-line arguments of one ponder-cli command: positionals, "--name value" options and "--flag"s.
// Unknown options are usage errors, so a typo never silently falls back to a default.
// A few commands take single-dash options ("-p 512", as llama-bench spells them): those are listed with
// their dash ("-p") and looked up that way; any other single-dash word stays a positional as before.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace ponder::cli {

// A mistake in how the command was called (exit status 2), as opposed to a problem with a file (status 1).
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class CliArgs {
public:
    // `valueOptions` take a value ("--text S"); `flags` take none ("--json"). Names without dashes, except
    // single-dash options, which keep theirs ("-p").
    CliArgs(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
            const std::set<std::string>& flags);

    const std::vector<std::string>& positionals() const { return positionals_; }
    std::optional<std::string> value(const std::string& name) const;
    std::string required(const std::string& name) const;
    bool flag(const std::string& name) const { return flags_.count(name) > 0; }
    // The single positional argument (e.g. MODEL); usage error when missing or repeated.
    std::string single(const char* what) const;

private:
    std::vector<std::string> positionals_;
    std::map<std::string, std::string> values_;
    std::set<std::string> flags_;
};

long long parseInteger(const std::string& text, const std::string& option);
double parseNumber(const std::string& text, const std::string& option); // finite decimal, e.g. "0.95"
// How an option is written on the command line: "--name", or "-p" as listed.
std::string optionLabel(const std::string& name);

} // namespace ponder::cli
