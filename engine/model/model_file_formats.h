#pragma once
// Internal to engine/model: the two ModelFile implementations ModelFile::open chooses between. Each owns its
// reader (the memory maps), so the TensorViews in config/weights stay valid for the ModelFile's lifetime.
#include "gguf/gguf.h"
#include "model/model_file.h"
#include "safetensors/hf_folder.h"

#include <filesystem>
#include <memory>

namespace ponder::detail {

class GgufModelFile final : public ModelFile {
public:
    explicit GgufModelFile(const std::filesystem::path& path);
    const std::vector<TensorView>& tensors() const override { return gguf_->tensors(); }

private:
    std::unique_ptr<GgufFile> gguf_;
};

class HfModelFile final : public ModelFile {
public:
    explicit HfModelFile(const std::filesystem::path& folder);
    const std::vector<TensorView>& tensors() const override { return folder_->tensors(); }

private:
    std::unique_ptr<HfFolder> folder_;
};

// Shared by both: the tokenizer must not produce ids past the embedding, and an empty template means the
// model has no chat format (so no thinking either).
void checkTokenizerFits(const Tokenizer& tokenizer, const ModelConfig& config, const std::string& source);
ThinkingSupport thinkingOf(const std::string& chatTemplate);

} // namespace ponder::detail
