#pragma once
// A model ready to run: the opened file, the chosen backend and the forward pass over them. ponder-cli's
// run, chat and bench and the app's engine worker all start from one.
#include "backend/backend.h"
#include "inference/qwen3_forward.h"
#include "model/model_file.h"
#include "runtime/backend_choice.h"
#include "runtime/load_progress.h"

#include <filesystem>
#include <memory>

namespace ponder {

struct LoadedModel {
    std::unique_ptr<ModelFile> file;
    std::unique_ptr<Backend> backend;
    std::unique_ptr<Qwen3Forward> forward;
};

// The backend is made first, so an unavailable one fails before a large model is read. Throws ponder::Error
// naming the file or the backend and the problem. `progress`, when set, hears the fraction done (0 first,
// rising by at least 2% a call, 1 last on success): opening the file is the first 5%, the backend's
// preparation of the weights (the upload to a GPU) the rest.
LoadedModel loadModel(const std::filesystem::path& path, const BackendChoice& backend,
                      const LoadProgress& progress = {});

} // namespace ponder
