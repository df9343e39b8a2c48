// libFuzzer target for the safetensors reader. Any input must either parse into tensors whose views lie
// inside the input and match their shape, or throw ponder::Error; anything else (a crash, a sanitizer
// report, another exception type, a broken invariant) is a bug.
#include "core/error.h"
#include "safetensors/safetensors.h"

#include <cstdint>
#include <cstdlib>
#include <span>

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
