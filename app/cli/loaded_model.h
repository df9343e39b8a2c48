#pragma once
// A model ready to run: the opened file, the backend chosen with --backend and the forward pass over them.
// `run`, `chat` and `bench` all start from one.
#include "backend/backend.h"
#include "backend_choice.h"
#include "inference/qwen3_forward.h"
#include "model/model_file.h"

#include <memory>
#include <string>

namespace ponder::cli {

struct LoadedModel {
    std::unique_ptr<ModelFile> file;
    std::unique_ptr<Backend> backend;
    std::unique_ptr<Qwen3Forward> forward;
};

// The backend is made first, so an unavailable one fails before a large model is read.
LoadedModel loadModel(const std::string& path, const BackendChoice& backend);

} // namespace ponder::cli
