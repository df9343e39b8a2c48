#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds Ponder and starts the desktop app.
# Without an argument the app opens on its model library; with no model there yet, it offers to create the
# built-in test model (a scripted Qwen3 with random weights, `ponder-cli synth --preset scripted`) in its
# models folder and loads it. The test model is written with the Qwen3 tokenizer that setup-debian.sh fetches
# (the build records where; PONDER_TOKENIZER_DIR overrides it). Pass a .gguf file or a Hugging Face folder to
# open that model instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/installer/setup-debian.sh"

build="$root/build"
# ccache keys on paths relative to the checkout, so a fresh clone elsewhere (CI) reuses this machine's cache.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j"$(nproc)" --target ponder ponder-cli

exec "$build/app/desktop/ponder" "$@"
