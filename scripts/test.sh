#!/usr/bin/env bash
# Command (2): install what is missing, build, and run every test (unit,
# integration against the real server binary, style and layering checks).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j"${JOBS:-2}" "$@"
