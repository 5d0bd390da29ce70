#!/usr/bin/env bash
# run-fuzzer.sh FUZZER SECONDS SEED_DIR WORK_DIR [LIBFUZZER-OPTION...]
# Runs a libFuzzer target for a bounded time from a fresh copy of the seeds.
set -euo pipefail
fuzzer=$1 seconds=$2 seeds=$3 work=$4
shift 4
rm -rf "$work" && mkdir -p "$work"
cp -r "$seeds"/. "$work"/ 2>/dev/null || true
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$@" "$work"
