#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds Ponder and starts it.
# Until the desktop app lands, "starting Ponder" means ponder-cli on a synthetic Qwen3 model: it writes one
# (random weights, real tokenizer and chat template), describes it, renders a conversation with it and lets the
# CPU engine answer it (random weights: the answer is noise, the pipeline is real).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/installer/setup-debian.sh"

build="$root/build"
# ccache keys on paths relative to the checkout, so a fresh clone elsewhere (CI) reuses this machine's cache.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j"$(nproc)" --target ponder-cli
cli="$build/app/ponder-cli"

model="$build/demo/tiny-dense-q8_0.gguf"
if [ ! -f "$model" ]; then
    mkdir -p "$(dirname "$model")"
    "$cli" synth --preset tiny-dense --format gguf --type q8_0 --out "$model"
fi
"$cli" info "$model"
echo
"$cli" prompt "$model" --conversation "$root/resources/examples/conversation.json"
echo
"$cli" run "$model" --conversation "$root/resources/examples/conversation.json" --max-tokens 24 --seed 1
echo
