#pragma once
// Ponder's built-in test model: the scripted synthetic Qwen3 (engine/synth, preset "scripted") — random
// weights arranged so that it always gives the same short reasoning and answer — for trying the app before
// any real model is there. It is written with the real Qwen3 tokenizer, which comes from the tokenizer
// package installer/fetch-tokenizer.sh puts in place.
#include <QString>

namespace ponder::library {

// The folder with the Qwen3 tokenizer's tokenizer.json and tokenizer_config.json: PONDER_TOKENIZER_DIR when
// set, else where the build found the tokenizer package (PONDER_TOKENIZER_PACKAGE/models).
QString testModelTokenizerDir();

// Writes the test model as `path` (a .gguf file; q8_0 weights, a few MB). Blocking (about a second). Throws
// ponder::Error naming the problem (a missing tokenizer, an unwritable folder); nothing partial is left.
void writeTestModel(const QString& path, const QString& tokenizerDir);

} // namespace ponder::library
