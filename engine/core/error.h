#pragma once
// The one exception type the engine throws for bad input (corrupt files, unsupported models, bad arguments).
// Its message is written for a person: it names the file or object and the problem, e.g.
// "model.gguf: tensor 'blk.0.attn_q.weight' data (offset 1234, 4096 bytes) runs past the end of the file".
#include <stdexcept>
#include <string>

namespace ponder {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

} // namespace ponder
