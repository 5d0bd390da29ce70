#!/bin/sh
# Builds image_c_api.c with the C compiler alone against libpeapod_image.a
# and runs it on api.pea's image. Fails if the archive holds C++ (a mangled
# symbol, or anything that needs the C++ runtime to link).
#   run.sh CC "FLAGS" LIBPEAPOD_IMAGE INCLUDE_DIR PEAPODC WORK_DIR
set -eu
cc=$1 flags=$2 lib=$3 include=$4 peapodc=$5 work=$6
here=$(dirname "$0")
mkdir -p "$work"
if nm -A "$lib" | grep -E ' [TtWwUuDdBbRrVv] _Z' >&2; then
  echo "run.sh: $lib defines or needs C++ symbols (above)" >&2
  exit 1
fi
# shellcheck disable=SC2086 # FLAGS is a list
"$cc" $flags -std=c11 -pedantic-errors -Wall -Wextra -Werror -I"$include" \
  "$here/image_c_api.c" "$lib" -o "$work/image_c_api"
"$peapodc" "$here/api.pea" -o "$work/api.bin"
"$work/image_c_api" "$work/api.bin"
