#!/usr/bin/env bash
# The README's second command, and what CI runs: the whole test suite, twice:
#   build/       gcc, optimised: unit, property, CLI and end-to-end tests
#   build-asan/  clang 14 with AddressSanitizer + UBSan: the same tests, plus
#                the libFuzzer targets, each run for a bounded time
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DPEAPOD_SANITIZE=ON -DPEAPOD_FUZZ=ON -DPEAPOD_BENCH=OFF >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
