// libFuzzer target for the GGUF reader. Any input must either throw ponder::Error or parse into tensors whose
// every byte lies inside the input (each is read, so ASan sees a stray span) and whose size matches its type
// and shape. An accepted file must also survive a rewrite: GgufWriter takes what GgufFile accepted, and
// parsing and rewriting its output gives the same bytes again.
//
// `fuzz_gguf --write-seeds=DIR` writes a few valid files made with GgufWriter into DIR and exits.
#include "core/error.h"
#include "gguf/gguf.h"
#include "seed_flag.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

using namespace ponder;

namespace {

[[noreturn]] void broken(const std::string& what)
{
    std::fprintf(stderr, "fuzz_gguf: invariant broken: %s\n", what.c_str());
    std::abort();
}

std::vector<std::uint8_t> rewrite(const GgufFile& file)
{
    GgufWriter writer;
    for (const auto& [key, value] : file.metadata())
        writer.set(key, value);
    for (const auto& t : file.tensors())
        writer.addTensor(t.name, t.type, t.dims, std::vector<std::uint8_t>(t.data.begin(), t.data.end()));
    return writer.serialize();
}

void checkTensors(const GgufFile& file, const std::uint8_t* data, std::size_t size)
{
    unsigned sum = 0;
    for (const auto& t : file.tensors()) {
        if (t.data.data() < data || t.data.size() > size || t.data.data() + t.data.size() > data + size)
            broken("tensor '" + t.name + "' lies outside the input");
        for (auto b : t.data)
            sum += b;
        const auto row = rowBytes(t.type, static_cast<std::uint64_t>(t.rowLength()));
        if (!row || *row * static_cast<std::uint64_t>(t.rowCount()) != t.data.size())
            broken("tensor '" + t.name + "' size does not match its type and shape");
    }
    volatile unsigned keep = sum; // the reads above must happen
    (void)keep;
}

// Small valid files covering every metadata type and every loadable tensor type.
void writeSeeds(const std::filesystem::path& dir)
{
    GgufWriter empty;
    empty.write(dir / "empty.gguf");

    GgufWriter values;
    GgufValue u8;
    u8.type = GgufType::U8;
    u8.u = 7;
    GgufValue nested;
    nested.type = GgufType::Array;
    nested.elementType = GgufType::Array;
    nested.items = {GgufValue::ofI32Array({1, 2}), GgufValue::ofI32Array({3})};
    values.set("general.name", GgufValue::ofString("seed \xE4\xB8\x96"));
    values.set("t.u8", u8);
    values.set("t.u32", GgufValue::ofU32(40960));
    values.set("t.i32", GgufValue::ofI32(-1));
    values.set("t.u64", GgufValue::ofU64(1ull << 40));
    values.set("t.f32", GgufValue::ofF32(1e-6f));
    values.set("t.bool", GgufValue::ofBool(true));
    values.set("t.nested", nested);
    values.set("tokenizer.ggml.tokens", GgufValue::ofStringArray({"a", "b", "<|im_end|>"}));
    values.set("tokenizer.ggml.token_type", GgufValue::ofI32Array({1, 1, 3}));
    values.write(dir / "values.gguf");

    GgufWriter model;
    model.set("general.architecture", GgufValue::ofString("qwen3"));
    model.set("qwen3.block_count", GgufValue::ofU32(1));
    model.addTensor("output_norm.weight", TensorType::F32, {8}, std::vector<std::uint8_t>(32, 1));
    model.addTensor("token_embd.weight", TensorType::Q8_0, {32, 2}, std::vector<std::uint8_t>(68, 2));
    model.addTensor("blk.0.attn_q.weight", TensorType::Q4_K, {256}, std::vector<std::uint8_t>(144, 3));
    model.write(dir / "model.gguf");

    GgufWriter types;
    types.setAlignment(64);
    types.addTensor("f16", TensorType::F16, {4, 2}, std::vector<std::uint8_t>(16, 4));
    types.addTensor("bf16", TensorType::BF16, {2, 1, 1, 2}, std::vector<std::uint8_t>(8, 5));
    types.addTensor("q4_0", TensorType::Q4_0, {32}, std::vector<std::uint8_t>(18, 6));
    types.addTensor("q4_1", TensorType::Q4_1, {32}, std::vector<std::uint8_t>(20, 7));
    types.addTensor("q5_0", TensorType::Q5_0, {32}, std::vector<std::uint8_t>(22, 8));
    types.addTensor("q5_1", TensorType::Q5_1, {32}, std::vector<std::uint8_t>(24, 9));
    types.addTensor("q5_k", TensorType::Q5_K, {256}, std::vector<std::uint8_t>(176, 10));
    types.addTensor("q6_k", TensorType::Q6_K, {256}, std::vector<std::uint8_t>(210, 11));
    types.write(dir / "types.gguf");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    ponder::fuzz::handleWriteSeedsFlag(*argc, *argv, "fuzz_gguf", writeSeeds);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::unique_ptr<GgufFile> file;
    try {
        file = GgufFile::parse({data, size}, "fuzz.gguf");
    } catch (const Error&) {
        return 0; // rejected with a message: the expected outcome for most inputs
    }
    checkTensors(*file, data, size);
    for (const auto& [key, value] : file->metadata())
        if (file->find(key) != &value)
            broken("metadata key '" + key + "' does not find its own entry");

    try {
        const auto once = rewrite(*file);
        const auto twice = rewrite(*GgufFile::parse(once, "rewritten.gguf"));
        if (once != twice)
            broken("rewriting an accepted file is not stable");
    } catch (const Error& e) {
        broken(std::string("the writer or reader refused a rewrite of an accepted file: ") + e.what());
    }
    return 0;
}
