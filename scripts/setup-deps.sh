#!/usr/bin/env bash
# Installs every Debian 12 package peapod needs to build and test. Idempotent; run as root.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  antlr4 libantlr4-runtime-dev
  llvm-14-dev zlib1g-dev libzstd-dev libtinfo-dev libxml2-dev libedit-dev libffi-dev
  nlohmann-json3-dev libgraphviz-dev catch2
  clang-14 libclang-rt-14-dev
  libfuse3-dev libbpf-dev bpftool clang libseccomp-dev
  python3  # tests/runtime: programs run inside pods
  neovim
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-deps: need root to install: ${missing[*]}" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Editor tooling (editors/, tests/editors): npm packages from the committed
# lock files, so the tests need no network; reinstalled only when a lock
# file changes. Without npm the editor tests are skipped.
root=$(cd "$(dirname "$0")/.." && pwd)
if command -v npm >/dev/null 2>&1; then
  for dir in "$root/editors" "$root/editors/vscode"; do
    sum=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    if [ "$(cat "$dir/node_modules/.peapod-lock" 2>/dev/null)" != "$sum" ]; then
      (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
      echo "$sum" >"$dir/node_modules/.peapod-lock"
    fi
  done
else
  echo "setup-deps: npm not found: the editor tests (tests/editors) will be skipped" >&2
fi
