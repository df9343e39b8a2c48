#include "runtime/loaded_model.h"

namespace ponder {

LoadedModel loadModel(const std::filesystem::path& path, const BackendChoice& backend)
{
    LoadedModel loaded;
    loaded.backend = createBackend(backend);
    loaded.file = ModelFile::open(path);
    loaded.forward = std::make_unique<Qwen3Forward>(loaded.file->config(), loaded.file->weights(), *loaded.backend);
    return loaded;
}

} // namespace ponder
