// ponder-cli bench MODEL [-p 512] [-n 128] [-r 3]: prompt processing and decode speed straight through the
// forward pass (no sampling, no template), and how close decode gets to the device's memory bandwidth.
#include "backend/vulkan/vulkan_backend.h"
#include "cli_args.h"
#include "commands.h"
#include "decode_bytes.h"
#include "backend_choice.h"
#include "runtime/loaded_model.h"
#include "machine_info.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>
#include <thread>
#include <vector>

namespace ponder::cli {
namespace {

// The prompt is random ids (speed does not depend on which), from a fixed seed so runs compare.
constexpr std::uint64_t kPromptSeed = 20250429;

struct Speeds {
    double prefill = 0; // tokens per second
    double decode = 0;
};

std::int64_t countAtLeastOne(const CliArgs& cli, const char* option, std::int64_t fallback)
{
    const auto text = cli.value(option);
    if (!text)
        return fallback;
    const long long value = parseInteger(*text, option);
    if (value < 1)
        throw UsageError(std::string(option) + " must be at least 1");
    return value;
}

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Greedy decoding reads back only the highest logit and its id (Backend::topLogits), as the generation
// session does, not the whole vocabulary.
constexpr std::int64_t kLogitBytesPerToken = sizeof(TokenCandidate);

std::int32_t argmax(Qwen3Forward& forward)
{
    return forward.lastTopLogits(1).front().id;
}

// One repetition: prefill `prompt` from position 0 in one run, then `decodeTokens` greedy steps after it.
Speeds measureOnce(Qwen3Forward& forward, KvCache& cache, const std::vector<std::int32_t>& prompt,
                   std::int64_t decodeTokens)
{
    Speeds speeds;
    auto start = std::chrono::steady_clock::now();
    forward.run(prompt, 0, cache, LogitsWanted::LastRowKept);
    std::int32_t token = argmax(forward); // the GPU's work is waited for here
    speeds.prefill = static_cast<double>(prompt.size()) / secondsSince(start);

    const auto firstPosition = static_cast<std::int64_t>(prompt.size());
    start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < decodeTokens; ++i) {
        forward.run(std::span(&token, 1), firstPosition + i, cache, LogitsWanted::LastRowKept);
        token = argmax(forward);
    }
    speeds.decode = static_cast<double>(decodeTokens) / secondsSince(start);
    return speeds;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

std::string mebibytes(std::uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return text;
}

void printHuman(const nlohmann::ordered_json& j)
{
    const auto number = [](double value, const char* format) {
        char text[32];
        std::snprintf(text, sizeof text, format, value);
        return std::string(text);
    };
    const std::string reps = "(median of " + std::to_string(j["repetitions"].get<int>()) + ")";
    std::cout << "model     " << j["model"].get<std::string>() << " (" << j["architecture"].get<std::string>()
              << ", " << j["layers"] << " layers)\n"
              << "device    " << j["device"].get<std::string>() << ", " << j["threads"] << " threads, backend "
              << j["backend"].get<std::string>() << "\n"
              << "prefill   " << j["prompt_tokens"] << " tokens: " << number(j["prefill_tok_s"].get<double>(), "%.1f")
              << " tok/s " << reps << "\n"
              << "decode    " << j["decode_tokens"] << " tokens: " << number(j["decode_tok_s"].get<double>(), "%.2f")
              << " tok/s " << reps << "\n"
              << "weights   " << mebibytes(j["bytes_per_token"].get<std::uint64_t>()) << " read per decoded token -> "
              << number(j["decode_gb_s"].get<double>(), "%.2f") << " GB/s\n"
              << "bandwidth " << number(j["bandwidth_gb_s"].get<double>(), "%.2f") << " GB/s ("
              << j["bandwidth_method"].get<std::string>() << "); decode reaches "
              << number(100.0 * j["bandwidth_fraction"].get<double>(), "%.1f") << "% of it\n"
              << "logits    " << j["logit_bytes_per_token"] << " bytes read back per decoded token"
              << (j["logit_bytes_per_token"] == kLogitBytesPerToken
                      ? " (greedy: the top logit and its id)"
                      : " (the whole row: on a CPU device the top logit is picked on the host)")
              << "\n";
    if (j.contains("dispatches_per_token"))
        std::cout << "commands  " << j["dispatches_per_token"] << " compute dispatches recorded per decode step\n";
    if (j.contains("prefill_matmul"))
        std::cout << "mat-mat   " << j["prefill_matmul"].get<std::string>()
                  << " (prefill; PONDER_VULKAN_FP16=0 or 1 picks fp32 or fp16)\n";
}

} // namespace

int runBench(const Args& args)
{
    const CliArgs cli(args, {"backend", "device", "-p", "-n", "-r"}, {"json"});
    const std::int64_t promptTokens = countAtLeastOne(cli, "-p", 512);
    const std::int64_t decodeTokens = countAtLeastOne(cli, "-n", 128);
    const std::int64_t repetitions = countAtLeastOne(cli, "-r", 3);
    const std::string modelPath = cli.single("MODEL");

    const LoadedModel loaded = loadModel(modelPath, backendChoice(cli));
    const ModelConfig& config = loaded.file->config();
    const std::int64_t positions = promptTokens + decodeTokens;
    if (config.contextLength > 0 && positions > config.contextLength)
        throw UsageError("-p + -n (" + std::to_string(positions) + ") exceed the model's context length (" +
                         std::to_string(config.contextLength) + ")");

    std::mt19937_64 rng(kPromptSeed);
    std::uniform_int_distribution<std::int32_t> anyToken(0, static_cast<std::int32_t>(config.vocabSize - 1));
    std::vector<std::int32_t> prompt(static_cast<std::size_t>(promptTokens));
    for (auto& id : prompt)
        id = anyToken(rng);

    Qwen3Forward& forward = *loaded.forward;
    const auto cache = forward.createKvCache(positions);
    // One untimed token first: it pages the mapped weights in, which would otherwise slow the first run.
    forward.run(std::span(prompt.data(), 1), 0, *cache);
    std::vector<double> prefill, decode;
    for (std::int64_t r = 0; r < repetitions; ++r) {
        const Speeds speeds = measureOnce(forward, *cache, prompt, decodeTokens);
        prefill.push_back(speeds.prefill);
        decode.push_back(speeds.decode);
    }

    const std::uint64_t bytesPerToken = weightBytesPerDecodedToken(config, loaded.file->weights());
    const double decodeSpeed = median(decode);
    const double decodeGbs = static_cast<double>(bytesPerToken) * decodeSpeed / 1e9;
    // The ceiling decode is judged against: the device's own measured bandwidth.
    std::string device = cpuModelName(), method = "memcpy of 256 MiB, one thread, best of 5";
    double bandwidthGbs = 0;
    if (auto* vulkan = dynamic_cast<VulkanBackend*>(loaded.backend.get())) {
        device = vulkan->device().name + " (" + vulkan->device().type + ")";
        method = "copy between two device buffers, bytes read + written, best of 5";
        bandwidthGbs = vulkan->measureCopyBandwidth();
    } else {
        bandwidthGbs = memcpyGigabytesPerSecond();
    }
    nlohmann::ordered_json j = {{"model", modelPath},
                                {"architecture", config.architectureName()},
                                {"layers", config.layerCount},
                                {"device", device},
                                {"threads", std::max(1u, std::thread::hardware_concurrency())},
                                {"backend", loaded.backend->name()},
                                {"prompt_tokens", promptTokens},
                                {"decode_tokens", decodeTokens},
                                {"repetitions", repetitions},
                                {"prefill_tok_s", median(prefill)},
                                {"decode_tok_s", decodeSpeed},
                                {"bytes_per_token", bytesPerToken},
                                {"decode_gb_s", decodeGbs},
                                {"bandwidth_gb_s", bandwidthGbs},
                                {"bandwidth_method", method},
                                {"bandwidth_fraction", decodeGbs / bandwidthGbs},
                                {"vocabulary", config.vocabSize},
                                {"logit_bytes_per_token", kLogitBytesPerToken}};
    if (auto* vulkan = dynamic_cast<VulkanBackend*>(loaded.backend.get()); vulkan && !vulkan->topLogitsOnGpu())
        j["logit_bytes_per_token"] = config.vocabSize * 4; // a CPU device: the whole row, selected on the host
    if (auto* vulkan = dynamic_cast<VulkanBackend*>(loaded.backend.get())) {
        // Commands recorded for one decode step, the CPU's per-token work on this backend.
        const std::uint64_t before = vulkan->dispatchCount();
        std::int32_t token = 0;
        forward.run(std::span(&token, 1), promptTokens, *cache, LogitsWanted::LastRowKept);
        argmax(forward);
        j["dispatches_per_token"] = vulkan->dispatchCount() - before;
        j["prefill_matmul"] = std::string(matmulKernelName(vulkan->matmulKernel()));
    }
    if (cli.flag("json"))
        std::cout << j.dump() << "\n";
    else
        printHuman(j);
    return 0;
}

} // namespace ponder::cli
