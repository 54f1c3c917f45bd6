#!/usr/bin/env bash
# Configures and builds FieldSync into build/ (Ninja, ccache when present).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
# Two cores and ~1 GiB per heavy gRPC translation unit: -j2 is the sweet spot.
cmake --build "$BUILD_DIR" -- -j"${JOBS:-2}"
