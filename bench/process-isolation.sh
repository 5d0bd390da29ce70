#!/bin/sh
# The cost of the seccomp user notifications (docs/performance.md, "Process
# isolation"): the same probe loops on the host and in a pod, as root.
#   bench/process-isolation.sh BUILD_DIR [N]
set -eu
B=${1:?usage: bench/process-isolation.sh BUILD_DIR [N]}
N=${2:-100000}
P=$B/tests/runtime/peapod_escape_probe
W=$(mktemp -d /tmp/peapod-bench-ipc-XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/root/tmp"
for L in bin lib lib64 sbin; do ln -s usr/$L "$W/root/$L"; done
printf 'pod box {\n  pea main {\n    dir-default / read, execute\n  }\n}\n' > "$W/p.pea"
"$B/bin/peapodc" --target kmod --no-analyze "$W/p.pea" -o "$W/p.ppi"
RUN="$B/bin/peapod run $W/p.ppi --pod box --pea main --root $W/root --mount /usr:/usr:ro --mount $P:/probe:ro --"
t() { # label, command...
  L=$1; shift
  S=$(date +%s.%N); "$@"; E=$(date +%s.%N)
  echo "$L $(echo "$E - $S" | bc)"
}
t "host getpid x$N" "$P" signal-loop "$N" getpid
t "pod  getpid x$N" $RUN /probe signal-loop "$N" getpid
t "host kill(self,SIGURG) x$N" "$P" signal-loop "$N" kill
t "pod  kill(self,SIGURG) x$N" $RUN /probe signal-loop "$N" kill
R=$((N / 10))
t "host signal round trip x$R" "$P" pingpong "$R" signal
t "pod  signal round trip x$R" $RUN /probe pingpong "$R" signal
t "host msg round trip x$R" "$P" pingpong "$R" msg
t "pod  msg round trip x$R" $RUN /probe pingpong "$R" msg
