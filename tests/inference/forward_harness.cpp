#include "forward_harness.h"

#include "backend/cpu/cpu_backend.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ponder::test {

std::filesystem::path writeModel(const QTemporaryDir& dir, const std::string& preset, SynthFormat format,
                                 const std::string& type, std::optional<std::int64_t> layers)
{
    SynthOptions options;
    options.preset = preset;
    options.format = format;
    options.type = type;
    options.layers = layers;
    options.tokenizerDir = tokenizerJson().parent_path();
    const std::string name = preset + "-" + type + (layers ? "-l" + std::to_string(*layers) : "") +
                             (format == SynthFormat::Gguf ? ".gguf" : "-hf");
    options.out = dir.filePath(QString::fromStdString(name)).toStdString();
    writeSyntheticModel(options);
    return options.out;
}

LoadedModel loadModel(const std::filesystem::path& path, std::int64_t maxChunk)
{
    LoadedModel model;
    model.file = ModelFile::open(path);
    model.backend = createCpuBackend();
    model.forward = std::make_unique<Qwen3Forward>(model.file->config(), model.file->weights(), *model.backend,
                                                   maxChunk);
    return model;
}

std::unique_ptr<Qwen3Forward> extraForward(LoadedModel& model, std::int64_t maxChunk)
{
    return std::make_unique<Qwen3Forward>(model.file->config(), model.file->weights(), *model.backend, maxChunk);
}

std::vector<std::vector<float>> allLogits(Qwen3Forward& forward, std::span<const std::int32_t> ids)
{
    auto cache = forward.createKvCache(static_cast<std::int64_t>(ids.size()));
    const std::vector<float> flat = forward.run(ids, 0, *cache, LogitsWanted::AllRows);
    const auto vocab = static_cast<std::size_t>(forward.config().vocabSize);
    if (flat.size() != ids.size() * vocab)
        throw std::runtime_error("AllRows returned " + std::to_string(flat.size()) + " logits for " +
                                 std::to_string(ids.size()) + " tokens");
    std::vector<std::vector<float>> rows;
    for (std::size_t r = 0; r < ids.size(); ++r)
        rows.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(r * vocab),
                          flat.begin() + static_cast<std::ptrdiff_t>((r + 1) * vocab));
    return rows;
}

std::vector<std::int32_t> greedyTokens(Qwen3Forward& forward, std::span<const std::int32_t> prompt, int count)
{
    const auto length = static_cast<std::int64_t>(prompt.size());
    auto cache = forward.createKvCache(length + count);
    std::vector<float> logits = forward.run(prompt, 0, *cache);
    std::vector<std::int32_t> tokens;
    for (int i = 0; i < count; ++i) {
        tokens.push_back(argmax(logits));
        if (i + 1 < count)
            logits = forward.run(std::span(&tokens.back(), 1), length + i, *cache);
    }
    return tokens;
}

std::int32_t argmax(std::span<const float> logits)
{
    return static_cast<std::int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

double relativeError(std::span<const float> a, std::span<const float> reference)
{
    if (a.size() != reference.size() || reference.empty())
        return INFINITY;
    double worst = 0, scale = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double diff = std::fabs(double(a[i]) - double(reference[i]));
        worst = std::isnan(diff) ? INFINITY : std::max(worst, diff);
        scale = std::max(scale, std::fabs(double(reference[i])));
    }
    return scale > 0 ? worst / scale : worst > 0 ? INFINITY : 0.0;
}

Reference runReference(const std::filesystem::path& model, const std::vector<std::int32_t>& ids, int greedyTokens)
{
    QStringList idList;
    for (auto id : ids)
        idList << QString::number(id);
    const auto script = testsSourceDir() / "tools" / "qwen3_reference.py";
    const auto result = runPython({QString::fromStdString(script.string()), QString::fromStdString(model.string()),
                                   "--ids", idList.join(','), "--all-logits", "--greedy",
                                   QString::number(greedyTokens)});
    if (result.exitCode != 0)
        throw std::runtime_error("qwen3_reference.py failed (does " PONDER_PYTHON " have NumPy?): " +
                                 result.err.toStdString());
    const auto json = nlohmann::json::parse(result.out.toStdString());
    Reference reference;
    for (const auto& row : json.at("logits"))
        reference.logits.push_back(row.get<std::vector<float>>());
    reference.greedy = json.at("greedy").get<std::vector<std::int32_t>>();
    if (!json.at("greedy_min_gap").is_null())
        reference.minGap = json.at("greedy_min_gap").get<double>();
    return reference;
}

std::vector<std::int32_t> promptIds(std::size_t count)
{
    // <|im_start|>user\nHello, how are you today?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n
    // then ids near the top of the regular range.
    static const std::vector<std::int32_t> ids = {151644, 872,    198,    9707,   11,     1246,  525,    498,
                                                  3351,   30,     151645, 198,    151644, 77091, 198,    151667,
                                                  271,    151668, 271,    40,     1079,   151000, 120345, 99999};
    if (count > ids.size())
        throw std::runtime_error("promptIds holds " + std::to_string(ids.size()) + " ids");
    return {ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(count)};
}

} // namespace ponder::test
