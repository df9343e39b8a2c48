#pragma once
// Telling models apart: a short id for the CLI and the settings, and a cheap content fingerprint that finds
// the same model copied to two places (an Ollama blob also imported into Ponder's folder).
#include <QString>

namespace ponder::library {

// The first 12 hex digits of the SHA-256 of `canonicalPath`: stable across scans while the file stays put.
QString modelId(const QString& canonicalPath);

// For a file: its size and the SHA-256 of its first and last MiB (hex). For a Hugging Face folder: the same
// over its *.safetensors files taken in name order. Empty when nothing could be read. Copies agree; reading
// is at most 2 MiB per file, so whole stores of multi-GB models fingerprint quickly.
QString contentFingerprint(const QString& path);

} // namespace ponder::library
