#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds Ponder and starts the desktop app.
# Until the model library lands (it will offer downloads and imports), the app opens on Ponder's built-in test
# model: a scripted Qwen3 with random weights (`ponder-cli synth --preset scripted`), written once into
# build/demo/. It answers every message with the same short reasoning and reply, through the real loader and
# engine. Pass a .gguf file or a Hugging Face folder to open that model instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/installer/setup-debian.sh"

build="$root/build"
# ccache keys on paths relative to the checkout, so a fresh clone elsewhere (CI) reuses this machine's cache.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j"$(nproc)" --target ponder ponder-cli

model="${1:-$build/demo/ponder-test-model-random-weights.gguf}"
if [ $# -eq 0 ] && [ ! -f "$model" ]; then
    mkdir -p "$(dirname "$model")"
    "$build/app/ponder-cli" synth --preset scripted --format gguf --type q8_0 --out "$model"
fi
exec "$build/app/desktop/ponder" "$model"
