#!/bin/sh
# Runs every benchmark of docs/performance.md and prints the table.
#
#   bench/run.sh [BUILD_DIR]         (default: build-bench next to this tree)
#
# Environment:
#   REPEAT=5        runs per compile measurement (the median is reported)
#   AA_REPEAT=3     runs of apparmor_parser per profile
#   WORK=DIR        where policies and images go (default: a fresh mktemp -d)
#   SKIP_1M=1       leave out the 1M-rule rows (they need ~2 GB and ~15 s each)
#   SKIP_APPARMOR=1 leave out the AppArmor comparison
#
# Needs: a Release build with PEAPOD_BENCH=ON (peapodc, peapod-gen,
# bench_lookup, bench_compile, bench_analyze), GNU time (/usr/bin/time), and for the
# comparison apparmor_parser (Debian: apt-get install apparmor). No Python.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-$HERE/../build-bench}
BIN=$(cd "$BUILD/bin" && pwd)
REPEAT=${REPEAT:-5}
AA_REPEAT=${AA_REPEAT:-3}
WORK=${WORK:-$(mktemp -d /tmp/peapod-bench.XXXXXX)}
mkdir -p "$WORK"
cd "$WORK"

for T in peapodc peapod-gen bench_lookup bench_compile bench_analyze; do
  [ -x "$BIN/$T" ] || { echo "run.sh: $BIN/$T missing; build with ninja -C $BUILD" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "run.sh: GNU time (/usr/bin/time) missing" >&2; exit 2; }

now_ns() { date +%s%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# time_cmd N CMD...: runs CMD N times; prints
#   "median_wall_seconds median_maxrss_kib median_cpu_seconds"
# (CPU = user + sys: less sensitive than wall time to other load).
time_cmd() {
  n=$1; shift
  : > times.txt; : > rss.txt; : > cpu.txt
  i=0
  while [ "$i" -lt "$n" ]; do
    t0=$(now_ns)
    # stderr too: a compile prints the analyzer's findings (formatted all
    # the same, so their cost is in the figure).
    /usr/bin/time -f '%M %U %S' -o rss.one "$@" > /dev/null 2>&1
    t1=$(now_ns)
    echo "$t0 $t1" | awk '{ printf "%.4f\n", ($2 - $1) / 1e9 }' >> times.txt
    tail -n 1 rss.one | awk '{ print $1 }' >> rss.txt
    tail -n 1 rss.one | awk '{ printf "%.2f\n", $2 + $3 }' >> cpu.txt
    i=$((i + 1))
  done
  echo "$(median < times.txt) $(median < rss.txt) $(median < cpu.txt)"
}

# mean_wall N CMD...: mean wall seconds of N back-to-back runs of CMD, timed
# around the whole loop. Used where two tools are compared, so that both pay
# exactly the same process start-up and no timing wrapper of their own.
mean_wall() {
  n=$1; shift
  t0=$(now_ns)
  i=0
  while [ "$i" -lt "$n" ]; do
    "$@" > /dev/null 2>&1 || true
    i=$((i + 1))
  done
  t1=$(now_ns)
  echo "$t0 $t1 $n" | awk '{ printf "%.4f\n", ($2 - $1) / 1e9 / $3 }'
}

# row RULES PEAS WALL RSS_KIB CPU IMAGE_BYTES
row() {
  echo "$@" | awk '{ printf "%-34s %8.3f %8.2f %8.2f %10.1f %7.0f %9.1f\n",
    sprintf("%d rules, %d peas x %d", $1, $2, $1 / $2), $3, $3 * 1e6 / $1,
    $5, $4 / 1024, $4 * 1024 / $1, $6 / 1048576 }'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)   work dir: $WORK   repeats: $REPEAT"
echo

# ---- compile: end to end, peapodc POLICY -o OUT ----------------------------
# 1000 rules per pea throughout, so the sizes differ only in pea count.
SIZES="10000:10 100000:100 1000000:1000"
[ "${SKIP_1M:-0}" = 1 ] && SIZES="10000:10 100000:100"
printf '%-34s %8s %8s %8s %10s %7s %9s\n' "compile (peapodc P -o OUT)" "wall s" "us/rule" "cpu s" "maxRSS MiB" "B/rule" "image MiB"
for S in $SIZES; do
  N=${S%:*}; P=${S#*:}
  "$BIN/peapod-gen" --rules "$N" --peas "$P" --seed 1 > "p$N.pea"
  set -- $(time_cmd "$REPEAT" "$BIN/peapodc" "p$N.pea" -o "p$N.bin")
  IMG=$(wc -c < "p$N.bin")
  row "$N" "$P" "$1" "$2" "$3" "$IMG"
done
if [ "${SKIP_1M:-0}" != 1 ]; then
  # The other 1M shape: fewer, bigger peas.
  "$BIN/peapod-gen" --rules 1000000 --peas 100 --seed 1 > p1m100.pea
  set -- $(time_cmd "$REPEAT" "$BIN/peapodc" p1m100.pea -o p1m100.bin)
  IMG=$(wc -c < p1m100.bin)
  row 1000000 100 "$1" "$2" "$3" "$IMG"
fi
echo

# ---- the same compiles without the analyzer ----------------------------------
printf '%-34s %8s %8s %8s %10s %7s %9s\n' "compile --no-analyze" "wall s" "us/rule" "cpu s" "maxRSS MiB" "B/rule" "image MiB"
for S in $SIZES; do
  N=${S%:*}; P=${S#*:}
  set -- $(time_cmd "$REPEAT" "$BIN/peapodc" "p$N.pea" -o "p$N.bin" --no-analyze)
  IMG=$(wc -c < "p$N.bin")
  row "$N" "$P" "$1" "$2" "$3" "$IMG"
done
echo

# ---- analyzer phases (library calls, CPU time) ---------------------------------
for S in $SIZES; do
  N=${S%:*}
  echo "analyzer, $N rules (bench_analyze p$N.pea --repeat 3):"
  "$BIN/bench_analyze" "p$N.pea" --repeat 3
  echo
done

# ---- compile phases (library calls, per-phase timers and peak RSS) ---------
echo "compile phases, 100k rules (bench_compile p100000.pea --repeat $REPEAT):"
"$BIN/bench_compile" p100000.pea --repeat "$REPEAT" --out phases.bin
echo

# ---- lookup on the mmap-ed 100k image --------------------------------------
echo "lookup (bench_lookup --image p100000.bin --depth 10):"
"$BIN/bench_lookup" --image p100000.bin --depth 10
echo

# ---- AppArmor side by side --------------------------------------------------
if [ "${SKIP_APPARMOR:-0}" != 1 ]; then
  if ! command -v apparmor_parser > /dev/null 2>&1; then
    echo "apparmor_parser not found (apt-get install apparmor): comparison skipped"
  else
    echo "AppArmor $(apparmor_parser --version 2>&1 | head -n 1 | sed 's/.*version //') vs peapodc, same 10k file rules:"
    printf '%-44s %10s %10s %8s\n' "policy" "apparmor s" "peapodc s" "ratio"
    for P in 10 1; do
      "$BIN/peapod-gen" --rules 10000 --peas "$P" --seed 1 > "aa$P.pea"
      "$BIN/peapod-gen" --rules 10000 --peas "$P" --seed 1 --apparmor > "aa$P.profile"
      PP=$(mean_wall 20 "$BIN/peapodc" "aa$P.pea" -o "aa$P.bin")
      # apparmor_parser may fail (a 10k-rule profile overflows its 16-bit
      # DFA state index); time it anyway and say so.
      STATUS=ok
      apparmor_parser -Q -S "aa$P.profile" > "aa$P.apparmor.bin" 2> "aa$P.err" || STATUS=failed
      AA=$(mean_wall "$AA_REPEAT" apparmor_parser -Q -S "aa$P.profile")
      if [ "$P" = 1 ]; then LABEL="1 profile x 10000 rules"; else LABEL="$P profiles x $((10000 / P)) rules"; fi
      echo "$LABEL $AA $PP $STATUS" | awk '{ r = $(NF-1) > 0 ? $(NF-2) / $(NF-1) : 0
        printf "%-44s %10.3f %10.4f %7.0fx%s\n", $1 " " $2 " " $3 " " $4 " " $5, $(NF-2), $(NF-1), r,
          ($NF == "ok" ? "" : "  (apparmor_parser failed: see '"$WORK"'/aa'"$P"'.err)") }'
    done
  fi
  echo
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
