#include "runtime/loaded_model.h"

namespace ponder {

namespace {
constexpr double kOpenedFraction = 0.05; // reading the file's header, tokenizer and chat template
}

LoadedModel loadModel(const std::filesystem::path& path, const BackendChoice& backend, const LoadProgress& progress)
{
    ProgressThrottle report(progress);
    report(0.0);
    LoadedModel loaded;
    loaded.backend = createBackend(backend);
    loaded.file = ModelFile::open(path);
    report(kOpenedFraction);
    const auto weightProgress = [&report](double fraction) {
        report(kOpenedFraction + (1.0 - kOpenedFraction) * fraction);
    };
    loaded.forward = std::make_unique<Qwen3Forward>(loaded.file->config(), loaded.file->weights(), *loaded.backend,
                                                    Qwen3Forward::kDefaultMaxChunk, weightProgress);
    report(1.0);
    return loaded;
}

} // namespace ponder
