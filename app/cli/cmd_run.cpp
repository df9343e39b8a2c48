// ponder-cli run MODEL (--prompt S | --conversation F.json | --prompt-ids 1,2,3): one generation, streamed as
// text or as one JSON line per token, for scripts, tests and comparisons with reference implementations.
#include "answer_printer.h"
#include "cancel_on_interrupt.h"
#include "cli_args.h"
#include "commands.h"
#include "context_size.h"
#include "conversation_file.h"
#include "core/error.h"
#include "generation/generation_policy.h"
#include "generation/generation_session.h"
#include "id_list.h"
#include "backend_choice.h"
#include "runtime/loaded_model.h"
#include "logits_file.h"
#include "sampling_options.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <numeric>
#include <optional>

namespace ponder::cli {
namespace {

// What the generation starts from: a chat (rendered by the session) or ids fed as they are.
struct RunInput {
    std::optional<ChatRequest> chat;
    std::vector<std::int32_t> ids;
};

std::int64_t integerAtLeast(const CliArgs& cli, const std::string& name, std::int64_t minimum)
{
    const long long value = parseInteger(*cli.value(name), "--" + name);
    if (value < minimum)
        throw UsageError("--" + name + " must be at least " + std::to_string(minimum));
    return value;
}

// The command-line settings; the sampling preset is resolved once the model (and its mode) is known.
GenerationSettings settingsFrom(const CliArgs& cli)
{
    GenerationSettings settings;
    if (cli.flag("think") && cli.flag("no-think"))
        throw UsageError("--think and --no-think exclude each other");
    if (cli.flag("think") || cli.flag("no-think"))
        settings.thinking = cli.flag("think");
    if (cli.value("think-budget"))
        settings.thinkingBudget = integerAtLeast(cli, "think-budget", -1);
    if (cli.value("max-tokens"))
        settings.maxTokens = integerAtLeast(cli, "max-tokens", 1);
    settings.ignoreEos = cli.flag("ignore-eos");
    settings.wantLogits = cli.value("logits-top") || cli.value("logits-out");
    return settings;
}

RunInput inputFrom(const CliArgs& cli, const ModelFile& model)
{
    RunInput input;
    if (auto text = cli.value("prompt")) {
        ChatMessage message;
        message.role = "user";
        message.content = *text;
        input.chat = ChatRequest{};
        input.chat->messages.push_back(std::move(message));
    } else if (auto path = cli.value("conversation")) {
        input.chat = readConversation(*path); // its enable_thinking counts unless --think / --no-think is given
    } else {
        input.ids = parseIdList(*cli.value("prompt-ids"), "--prompt-ids", model.config().vocabSize);
    }
    return input;
}

// The `k` largest logits, highest first (ties: lower id first), as [[id, logit], ...].
nlohmann::ordered_json topLogits(std::span<const float> logits, std::int64_t k)
{
    std::vector<std::int32_t> order(logits.size());
    std::iota(order.begin(), order.end(), 0);
    const auto end = order.begin() + std::min<std::int64_t>(k, static_cast<std::int64_t>(order.size()));
    std::partial_sort(order.begin(), end, order.end(), [&](std::int32_t a, std::int32_t b) {
        return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
    });
    nlohmann::ordered_json top = nlohmann::ordered_json::array();
    for (auto it = order.begin(); it != end; ++it)
        top.push_back({*it, logits[*it]});
    return top;
}

const char* reasonName(StopReason reason)
{
    switch (reason) {
    case StopReason::Stop: return "stop";
    case StopReason::Length: return "length";
    case StopReason::Cancelled: return "cancelled";
    }
    return "stop";
}

void printJsonLine(const nlohmann::ordered_json& line)
{
    // Token texts are complete UTF-8, but a replacement beats an exception if a model says otherwise.
    std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n" << std::flush;
}

nlohmann::ordered_json doneLine(const GenerationResult& r)
{
    return {{"done", true},
            {"reason", reasonName(r.reason)},
            {"prompt_tokens", r.promptTokens},
            {"reused_tokens", r.reusedTokens},
            {"generated_tokens", r.generatedTokens},
            {"reasoning_tokens", r.reasoningTokens},
            {"prefill_tok_s", r.prefillTokensPerSecond()},
            {"decode_tok_s", r.decodeTokensPerSecond()}};
}

} // namespace

int runRun(const Args& args)
{
    std::set<std::string> values = {"prompt",       "conversation", "prompt-ids", "max-tokens",
                                    "think-budget", "logits-top",   "logits-out"};
    addBackendOptions(values);
    std::set<std::string> flags = {"think", "no-think", "ignore-eos", "json"};
    addSamplingOptions(values, flags);
    const CliArgs cli(args, values, flags);
    const int inputs = !!cli.value("prompt") + !!cli.value("conversation") + !!cli.value("prompt-ids");
    if (inputs != 1)
        throw UsageError("give exactly one of --prompt, --conversation or --prompt-ids");
    const bool json = cli.flag("json");
    std::int64_t logitsTop = 0;
    if (cli.value("logits-top")) {
        if (!json)
            throw UsageError("--logits-top needs --json");
        logitsTop = integerAtLeast(cli, "logits-top", 1);
    }
    GenerationSettings settings = settingsFrom(cli);
    const SamplingOverrides sampling = samplingOverrides(cli);
    const std::string modelPath = cli.single("MODEL");

    const LoadedModel loaded = loadModel(modelPath, backendChoice(cli));
    const ModelFile& model = *loaded.file;
    const RunInput input = inputFrom(cli, model);
    // The preset the flags refine is the one for the mode the session will pick.
    const bool thinking =
        resolveThinking(model.thinking(), settings, input.chat ? input.chat->enableThinking : std::nullopt);
    settings.sampling = samplingFor(sampling, thinking, model.generationDefaults());

    const std::int64_t promptTokens =
        input.chat ? renderedPromptTokens(model, *input.chat, thinking) : static_cast<std::int64_t>(input.ids.size());
    GenerationSession session(model, *loaded.forward, contextSize(model, promptTokens + settings.maxTokens));

    std::optional<LogitsFile> logitsFile;
    if (auto path = cli.value("logits-out"))
        logitsFile.emplace(*path);
    AnswerPrinter printer(stdout);
    const EventSink sink = [&](const GenerationEvent& event) {
        if (event.kind == GenerationEvent::Kind::ContextTrimmed) {
            std::cerr << "ponder-cli: the context is full; dropped the " << event.droppedMessages
                      << " oldest messages\n";
            return;
        }
        if (event.kind != GenerationEvent::Kind::Token)
            return;
        if (logitsFile && !event.logits.empty())
            logitsFile->append(event.logits);
        if (!json) {
            printer.write(event.text, event.channel);
            return;
        }
        // Id -1 only carries a character the answer left unfinished (U+FFFD) when a channel ends: the JSON
        // stream is one line per generated token, and its ids are complete without it.
        if (event.id < 0)
            return;
        nlohmann::ordered_json line = {{"id", event.id},
                                       {"text", event.text},
                                       {"channel", event.channel == Channel::Reasoning ? "reasoning" : "content"}};
        if (logitsTop > 0)
            line["top"] = topLogits(event.logits, logitsTop);
        printJsonLine(line);
    };

    const CancelOnInterrupt cancel;
    const GenerationResult result = input.chat ? session.generate(*input.chat, settings, sink, cancel.flag())
                                               : session.generateFromIds(input.ids, settings, sink, cancel.flag());
    if (logitsFile)
        logitsFile->close();
    if (json)
        printJsonLine(doneLine(result));
    else
        printer.finish();
    return 0;
}

} // namespace ponder::cli
