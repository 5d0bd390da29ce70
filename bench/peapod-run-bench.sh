#!/bin/bash
# peapod run's overhead on whole workloads: the same commands natively and in
# a pod (file rules through the FUSE layer, the exec tracer, seccomp), for a
# pod of one pea (1 s kernel caches) and of two peas (caches off).
#
#   bench/peapod-run-bench.sh BUILD_DIR [RUNS]     (as root)
#
# Workloads: "openstat" (a C loop of 20,000 x open+close and stat of files
# under /usr/include) and "make -j2" of a generated 24-file C project in the
# pod's /src. Prints one row per workload and setting: the median of RUNS
# wall times and the ratio to native. docs/performance.md has the results.
set -euo pipefail
BUILD=$(cd "${1:?usage: $0 BUILD_DIR [RUNS]}" && pwd)
RUNS=${2:-3}
PEAPOD=$BUILD/bin/peapod
PEAPODC=$BUILD/bin/peapodc
WORK=$(mktemp -d /tmp/peapod-run-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/root
mkdir -p "$ROOT/tmp" "$ROOT/src"
chmod 1777 "$ROOT/tmp"
for L in bin lib lib64 sbin; do ln -s "usr/$L" "$ROOT/$L"; done

cat > "$WORK/one.pea" <<'EOF'
pod bench {
  pea main {
    dir-default / read, execute
    dir-default /src read, write, execute
    dir-default /tmp read, write, execute
  }
}
EOF
cat > "$WORK/two.pea" <<'EOF'
pod bench {
  pea main {
    dir-default / read, execute
    dir-default /src read, write, execute
    dir-default /tmp read, write, execute
  }
  pea other {
    dir-default / read
  }
}
EOF
for P in one two; do
  "$PEAPODC" --target kmod --no-analyze "$WORK/$P.pea" -o "$WORK/$P.ppi"
done

# The open/stat loop, built on the host, run from the pod's /src.
cat > "$WORK/openstat.c" <<'EOF'
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void) {
  struct stat St;
  for (int I = 0; I < 20000; ++I) {
    int Fd = open("/usr/include/stdio.h", O_RDONLY);
    if (Fd < 0) return 1;
    close(Fd);
    if (stat("/usr/include/stdlib.h", &St) != 0) return 1;
  }
  return 0;
}
EOF
cc -O2 -o "$ROOT/src/openstat" "$WORK/openstat.c"

# A small C project: 24 files, each with a few functions and the usual
# headers, linked into one program.
mkdir -p "$ROOT/src/proj"
for I in $(seq 1 24); do
  cat > "$ROOT/src/proj/f$I.c" <<EOF
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int f$I(int X) {
  char Buf[64];
  snprintf(Buf, sizeof Buf, "%d", X * $I);
  return (int)strlen(Buf) + atoi(Buf) % 7;
}
EOF
done
{
  printf 'int main(void) { int S = 0;\n'
  for I in $(seq 1 24); do printf 'extern int f%d(int); S += f%d(%d);\n' "$I" "$I" "$I"; done
  printf 'return S == 0; }\n'
} > "$ROOT/src/proj/main.c"
# gcc by name: /usr/bin/cc is a link through /etc/alternatives, which the
# pod does not have.
cat > "$ROOT/src/proj/Makefile" <<'EOF'
OBJS := $(patsubst %.c,%.o,$(wildcard *.c))
prog: $(OBJS)
	gcc -o $@ $(OBJS)
%.o: %.c
	gcc -O2 -c $< -o $@
clean:
	rm -f *.o prog
EOF

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# time_of SETTING CMD...: one wall time of CMD natively (SETTING native, run
# in ROOT/src) or in the pod of policy SETTING (run in /src).
time_of() {
  local Setting=$1; shift
  local Start End
  if [ "$Setting" = native ]; then
    Start=$(now); (cd "$ROOT/src" && "$@") > /dev/null; End=$(now)
  else
    Start=$(now)
    "$PEAPOD" run "$WORK/$Setting.ppi" --pod bench --pea main --root "$ROOT" \
      --mount /usr:/usr:ro -- /bin/sh -c 'cd /src && exec "$@"' sh "$@" \
      > /dev/null
    End=$(now)
  fi
  echo "$End - $Start" | bc -l
}

row() {
  local Name=$1; shift
  local Native=""
  for Setting in native one two; do
    local Times=""
    for R in $(seq 1 "$RUNS"); do
      [ "$Name" = make ] && (cd "$ROOT/src/proj" && make -s clean)
      Times+="$(time_of "$Setting" "$@")"$'\n'
    done
    local M; M=$(printf '%s' "$Times" | median)
    [ "$Setting" = native ] && Native=$M
    printf '%-9s %-7s %8.3f s  %5.2fx\n' "$Name" "$Setting" "$M" \
      "$(echo "$M / $Native" | bc -l)"
  done
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
row openstat ./openstat
row make make -s -C proj -j2
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
