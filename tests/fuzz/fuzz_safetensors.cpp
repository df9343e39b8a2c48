// libFuzzer target for the safetensors reader. Any input must either parse into tensors whose views lie
// inside the input and match their shape, or throw ponder::Error; anything else (a crash, a sanitizer
// report, another exception type, a broken invariant) is a bug.
// `fuzz_safetensors --write-seeds=DIR` writes a few valid files made with SafetensorsWriter into DIR and exits.
#include "core/error.h"
#include "core/half.h"
#include "safetensors/safetensors.h"
#include "seed_flag.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <vector>
#include <span>

namespace {

std::vector<std::uint8_t> floatBytes(std::initializer_list<float> values)
{
    std::vector<std::uint8_t> bytes(values.size() * sizeof(float));
    std::memcpy(bytes.data(), std::data(values), bytes.size());
    return bytes;
}

std::vector<std::uint8_t> halfBytes(std::initializer_list<float> values, std::uint16_t (*convert)(float))
{
    std::vector<std::uint8_t> bytes;
    for (float v : values) {
        const std::uint16_t h = convert(v);
        bytes.push_back(static_cast<std::uint8_t>(h & 0xFF));
        bytes.push_back(static_cast<std::uint8_t>(h >> 8));
    }
    return bytes;
}

// Small files of every dtype, shapes of 0 to 3 dims, with and without metadata.
void writeSeeds(const std::filesystem::path& dir)
{
    ponder::SafetensorsWriter single;
    single.add("model.norm.weight", ponder::TensorType::F32, {4}, floatBytes({1, 2, 3, 4}));
    single.write(dir / "single.safetensors");

    ponder::SafetensorsWriter mixed;
    mixed.setMetadata("format", "pt");
    mixed.add("a.f16", ponder::TensorType::F16, {2, 2}, halfBytes({1, -2, 0.5f, 8}, ponder::floatToFp16));
    mixed.add("b.bf16", ponder::TensorType::BF16, {3, 1, 1}, halfBytes({1, 2, 3}, ponder::floatToBf16));
    mixed.add("c.scalar", ponder::TensorType::F32, {1}, floatBytes({42}));
    mixed.write(dir / "mixed.safetensors");

    ponder::SafetensorsWriter empty;
    empty.write(dir / "empty.safetensors");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    ponder::fuzz::handleWriteSeedsFlag(*argc, *argv, "fuzz_safetensors", writeSeeds);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::span<const std::uint8_t> input(data, size);
    try {
        const auto file = ponder::SafetensorsFile::parse(input, "fuzz.safetensors");
        unsigned checksum = 0;
        for (const auto& [key, value] : file->metadata())
            checksum += static_cast<unsigned>(key.size() + value.size());
        for (const auto& tensor : file->tensors()) {
            // Read every byte so AddressSanitizer sees any view that escapes the input.
            for (std::uint8_t byte : tensor.data)
                checksum += byte;
            const bool inside = tensor.data.empty() ||
                                (tensor.data.data() >= data && tensor.data.data() + tensor.data.size() <= data + size);
            const auto elementBytes = ponder::tensorTypeInfo(tensor.type).blockBytes;
            const bool sized = static_cast<std::uint64_t>(tensor.elements()) * elementBytes == tensor.data.size();
            if (!inside || !sized || tensor.dims.empty() || file->tensor(tensor.name) != &tensor)
                std::abort();
        }
        // Keep the reads from being optimised away.
        volatile unsigned sink = checksum;
        (void)sink;
    } catch (const ponder::Error&) {
        // Rejected with a message: the expected outcome for garbage.
    }
    return 0;
}
