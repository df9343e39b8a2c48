// ponder-cli chat MODEL: an interactive conversation in the terminal over one GenerationSession, so every
// turn reuses the cached prefix of the conversation so far. Reads one message per line from stdin (a
// terminal or a pipe), streams the answer (reasoning dimmed) and a short stats line after it.
#include "answer_printer.h"
#include "cancel_on_interrupt.h"
#include "cli_args.h"
#include "commands.h"
#include "generation/generation_policy.h"
#include "generation/generation_session.h"
#include "backend_choice.h"
#include "runtime/loaded_model.h"
#include "sampling_options.h"
#include "chat/soft_switch.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <unistd.h>

namespace ponder::cli {
namespace {

// KV cache positions unless --context says otherwise: a long conversation for little memory (a real model's
// full 40k context costs gigabytes); when it fills up the session drops the oldest turns.
constexpr std::int64_t kDefaultContext = 4096;
constexpr const char* kHelp = "commands: /think, /no_think (thinking mode for the next turns), :budget N "
                              "(thinking budget in tokens, -1 unlimited), :quit";

std::string trimmed(const std::string& line)
{
    const auto first = line.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    return line.substr(first, line.find_last_not_of(" \t\r\n") - first + 1);
}

std::string statsLine(const GenerationResult& r)
{
    char speed[32];
    std::snprintf(speed, sizeof speed, "%.1f tok/s", r.decodeTokensPerSecond());
    std::string line = "[" + std::to_string(r.generatedTokens) + " tokens";
    if (r.reasoningTokens > 0)
        line += " (" + std::to_string(r.reasoningTokens) + " reasoning)";
    line += ", " + std::string(speed) + ", prompt " + std::to_string(r.promptTokens) + " tokens (" +
            std::to_string(r.reusedTokens) + " reused)";
    if (r.reason == StopReason::Length)
        line += ", stopped at the token limit";
    else if (r.reason == StopReason::Cancelled)
        line += ", cancelled";
    return line + "]";
}

// One conversation: its history, the mode and budget the commands set, and the session that keeps its cache.
class ChatLoop {
public:
    ChatLoop(const LoadedModel& loaded, GenerationSession& session, GenerationSettings settings,
             const SamplingOverrides& sampling)
        : model_(*loaded.file), session_(session), settings_(std::move(settings)), sampling_(sampling)
    {
    }

    // Handles one input line; false once the user asked to quit.
    bool handle(const std::string& line)
    {
        const std::string input = trimmed(line);
        if (input.empty())
            return true;
        if (input == ":quit")
            return false;
        if (input == "/think" || input == "/no_think") {
            setThinking(input == "/think");
            return true;
        }
        if (input.rfind(":budget", 0) == 0) {
            setBudget(trimmed(input.substr(7)));
            return true;
        }
        if (input[0] == ':') {
            printer_.note(kHelp);
            return true;
        }
        if (auto mode = softSwitch(input))
            settings_.thinking = *mode; // the message keeps its switch: the model reads it too
        answer(input);
        return true;
    }

private:
    bool thinking() const { return resolveThinking(model_.thinking(), settings_, std::nullopt); }

    void setThinking(bool on)
    {
        settings_.thinking = on;
        if (thinking() != on)
            printer_.note(on ? "this model cannot think (or :budget is 0)" : "this model always thinks");
        else
            printer_.note(on ? "thinking on" : "thinking off");
    }

    void setBudget(const std::string& value)
    {
        try {
            const long long budget = parseInteger(value, ":budget");
            if (budget < -1)
                throw UsageError(":budget must be -1 (unlimited) or more");
            settings_.thinkingBudget = budget;
            printer_.note(budget < 0 ? "thinking budget: unlimited" : "thinking budget: " + value + " tokens");
        } catch (const UsageError& e) {
            printer_.note(e.what()); // a typo in an interactive command should not end the conversation
        }
    }

    void answer(const std::string& message)
    {
        ChatMessage user;
        user.role = "user";
        user.content = message;
        history_.messages.push_back(std::move(user));
        settings_.sampling = samplingFor(sampling_, thinking(), model_.generationDefaults());

        const CancelOnInterrupt cancel;
        const GenerationResult result = session_.generate(
            history_, settings_,
            [&](const GenerationEvent& event) {
                if (event.kind == GenerationEvent::Kind::Token)
                    printer_.write(event.text, event.channel);
                else if (event.kind == GenerationEvent::Kind::BudgetReached)
                    printer_.write("\n[thinking budget reached]\n", Channel::Reasoning);
                else if (event.kind == GenerationEvent::Kind::ContextTrimmed)
                    printer_.note("[the context is full: dropped the " + std::to_string(event.droppedMessages) +
                                  " oldest messages]");
            },
            cancel.flag());
        printer_.finish();
        printer_.note(statsLine(result));

        // The answer joins the history (a cancelled one as far as it got), with its reasoning: the template
        // drops reasoning of earlier turns itself, exactly as Qwen3 was trained.
        ChatMessage assistant;
        assistant.role = "assistant";
        assistant.content = result.content;
        if (!result.reasoning.empty())
            assistant.reasoningContent = result.reasoning;
        history_.messages.push_back(std::move(assistant));
    }

    const ModelFile& model_;
    GenerationSession& session_;
    GenerationSettings settings_;
    SamplingOverrides sampling_;
    ChatRequest history_;
    AnswerPrinter printer_{stdout};
};

} // namespace

int runChat(const Args& args)
{
    std::set<std::string> values = {"think-budget", "max-tokens", "context"};
    addBackendOptions(values);
    std::set<std::string> flags;
    addSamplingOptions(values, flags);
    const CliArgs cli(args, values, flags);
    GenerationSettings settings;
    if (auto budget = cli.value("think-budget")) {
        settings.thinkingBudget = parseInteger(*budget, "--think-budget");
        if (settings.thinkingBudget < -1)
            throw UsageError("--think-budget must be -1 (unlimited) or more");
    }
    if (auto maxTokens = cli.value("max-tokens")) {
        settings.maxTokens = parseInteger(*maxTokens, "--max-tokens");
        if (settings.maxTokens < 1)
            throw UsageError("--max-tokens must be at least 1");
    }
    std::optional<std::int64_t> context;
    if (auto value = cli.value("context")) {
        context = parseInteger(*value, "--context");
        if (*context < 16)
            throw UsageError("--context must be at least 16");
    }
    const SamplingOverrides sampling = samplingOverrides(cli);
    const std::string modelPath = cli.single("MODEL");

    const LoadedModel loaded = loadModel(modelPath, backendChoice(cli));
    std::int64_t capacity = context.value_or(kDefaultContext);
    if (loaded.file->config().contextLength > 0)
        capacity = std::min(capacity, loaded.file->config().contextLength);
    GenerationSession session(*loaded.file, *loaded.forward, capacity);
    ChatLoop chat(loaded, session, settings, sampling);

    const bool interactive = isatty(STDIN_FILENO) == 1;
    if (interactive)
        std::printf("%s — %s\n", loaded.file->modelName().c_str(), kHelp);
    std::string line;
    while (true) {
        if (interactive) {
            std::fputs("> ", stdout);
            std::fflush(stdout);
        }
        if (!std::getline(std::cin, line) || !chat.handle(line))
            break;
    }
    return 0;
}

} // namespace ponder::cli
