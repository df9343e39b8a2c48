#include "loaded_model.h"

#include "backend_choice.h"

namespace ponder::cli {

LoadedModel loadModel(const std::string& path, const BackendChoice& backend)
{
    LoadedModel loaded;
    loaded.backend = createBackend(backend);
    loaded.file = ModelFile::open(path);
    loaded.forward = std::make_unique<Qwen3Forward>(loaded.file->config(), loaded.file->weights(), *loaded.backend);
    return loaded;
}

} // namespace ponder::cli
