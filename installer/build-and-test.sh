#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds Ponder and runs every test.
#   installer/build-and-test.sh             all tests (build/)
#   installer/build-and-test.sh --sanitize  the engine tests again under ASan + UBSan (build-sanitize/)
# Warnings are errors when CI=true.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/installer/setup-debian.sh"

build="$root/build"
# ccache keys on paths relative to the checkout, so a fresh clone elsewhere (CI) reuses this machine's cache.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
extra=()
labels=()
targets=()
if [ "${1:-}" = "--sanitize" ]; then
    build="$root/build-sanitize"
    extra+=(-DPONDER_SANITIZE=ON)
    labels+=(-L engine -LE heavy)
    targets+=(--target ponder_engine_tests) # only what those suites run
    # The engine under the sanitizers, without a Vulkan driver: a driver's own allocations (Mesa, LLVM) would
    # read as leaks. The Vulkan suites run in the normal build; here `--backend auto` finds no device and
    # uses the CPU backend, which is what these suites test.
    export VK_ICD_FILENAMES=/nonexistent/icd.json VK_DRIVER_FILES=/nonexistent/icd.json
fi
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON

cmake -S "$root" -B "$build" -G Ninja -DPONDER_WERROR="$werror" "${extra[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" "${targets[@]}"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" "${labels[@]}"
