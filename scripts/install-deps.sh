#!/usr/bin/env bash
# Installs the Debian 12 packages FieldSync builds and tests with, if any is
# missing. Everything comes from Debian; nothing is downloaded at build time.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git python3 openssl
  clang-format
  # scripts/check.py: the thread-safety pass (in the tests), clang-tidy;
  # tests/fuzz/: libFuzzer (in clang's runtime) and zstd for its seeds.
  clang clang-tidy libclang-rt-14-dev zstd
  protobuf-compiler libprotobuf-dev
  # googleapis' google/rpc/*.proto (status, error_details), compiled into
  # the build (proto/CMakeLists.txt): Debian compiles them for no C++ library.
  golang-github-gogo-googleapis-dev
  libgrpc++-dev protobuf-compiler-grpc
  librocksdb-dev zlib1g-dev libzstd-dev
  libabsl-dev libjemalloc-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libutf8proc-dev nlohmann-json3-dev libcli11-dev libsodium-dev libqrencode-dev
  libssl-dev
  # fieldsync-server --config FILE (server/server_config.h).
  libyaml-cpp-dev
  # tests/deploy_check.py: `systemd-analyze verify` of deploy/'s unit.
  systemd
  # The Python client example and its test (tests/clients/). Stubs come from
  # protoc and grpc_python_plugin above: Debian's python3-grpc-tools bundles a
  # protoc too old for proto3 `optional`.
  python3-grpcio python3-protobuf
  # The appendix export test opens the exported HTML in a real browser
  # (tests/appendix_export_test.py): headless, DOM dump and a PNG screenshot.
  chromium fonts-dejavu-core
  # /metrics, /healthz, /readyz (server/metrics_listener.h): prometheus-cpp's
  # registry and its pull Exposer (civetweb inside); the metrics binary test
  # parses the scraped text with the official Python client's parser.
  prometheus-cpp-dev python3-prometheus-client
)

# node and npm only when the machine has none (Debian's are fine for buf).
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# From the npm registry, pinned in package.json: buf (proto lint, buf curl),
# @grpc/grpc-js with @grpc/proto-loader for the Node client example, and
# google-proto-files, googleapis' own .proto files, which the client tests
# decode error details with.
# (npm install, not ci: the registry here lacks some of buf's optional
# per-platform packages, which npm ci insists on.)
cd "$(dirname "$0")/../tools"
if [ ! -x node_modules/.bin/buf ] || [ ! -d node_modules/@grpc/grpc-js ] ||
   [ ! -d node_modules/@grpc/proto-loader ] ||
   [ ! -d node_modules/google-proto-files ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
