#!/usr/bin/env bash
# The README's first command: install dependencies (Debian 12, as root), build
# peapodc into build/bin/, and compile the bundled example to mail.bin,
# printing any findings.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target peapodc
build/bin/peapodc examples/mail.pea -o mail.bin
echo "compiled examples/mail.pea -> mail.bin ($(stat -c %s mail.bin) bytes) with build/bin/peapodc"
