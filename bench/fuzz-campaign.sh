#!/bin/sh
# Runs the libFuzzer targets for longer than the suite does, one after the
# other, each with a corpus that persists between campaigns.
#
#   bench/fuzz-campaign.sh [BUILD_DIR] [SECONDS_PER_TARGET] [TARGET...]
#
# BUILD_DIR: a build with PEAPOD_FUZZ=ON (default build-asan, what
# scripts/test.sh makes); SECONDS default 1800; TARGETS default every fuzz_*
# executable in the build. Corpora live in $CORPUS (default
# BUILD_DIR/fuzz-corpora/TARGET), seeded on first use from the examples (or,
# for fuzz_image, from the examples' images). Crashes are written to
# BUILD_DIR/fuzz-crashes/ and the script exits 1 if any target found one. The
# last line per target is libFuzzer's final stats: runs, coverage and corpus
# size (docs/testing.md keeps the figures of the last long campaign).
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$HERE/build-asan}" && pwd)
SECONDS_PER=${2:-1800}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift
TARGETS=${*:-$(find "$BUILD/tests" -maxdepth 2 -type f -name 'fuzz_*' -perm -u+x -printf '%f\n' | sort)}
CORPUS=${CORPUS:-$BUILD/fuzz-corpora}
CRASHES=$BUILD/fuzz-crashes
mkdir -p "$CRASHES"
status=0
for T in $TARGETS; do
  exe=$(find "$BUILD/tests" -maxdepth 2 -type f -name "$T" | head -n 1)
  [ -n "$exe" ] || { echo "fuzz-campaign: no target $T in $BUILD" >&2; exit 2; }
  dir=$CORPUS/$T
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    seeds=$HERE/examples
    [ "$T" = fuzz_image ] && seeds=$BUILD/tests/kmod/fuzz_image-seeds
    cp -r "$seeds"/. "$dir"/ 2>/dev/null || true
  fi
  dict=""
  case $T in fuzz_image) ;; *) dict="-dict=$HERE/tests/fuzz/peapod.dict" ;; esac
  echo "== $T: $SECONDS_PER s, corpus $dir"
  # shellcheck disable=SC2086 # dict is one option or none
  if ! ASAN_OPTIONS=detect_leaks=1 "$exe" -max_total_time="$SECONDS_PER" \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 $dict \
      -artifact_prefix="$CRASHES/$T-" "$dir" > "$BUILD/fuzz-$T.log" 2>&1; then
    echo "$T: FOUND A CRASH (see $BUILD/fuzz-$T.log and $CRASHES)"
    status=1
  fi
  grep -E '^#[0-9]+.*(DONE|pulse)' "$BUILD/fuzz-$T.log" | tail -n 1
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$BUILD/fuzz-$T.log" | tr '\n' ' '
  echo
done
exit $status
