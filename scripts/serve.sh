#!/usr/bin/env bash
# Command (1): install what is missing, build, and run the server on its
# embedded default: RocksDB in ./fieldsync-data, loaded with the Đồng Tháp
# catalogue on first start, gRPC on 127.0.0.1:7443. Extra arguments go to
# fieldsync-server (e.g. --listen 0.0.0.0:7443).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
# The default is plaintext on loopback, asked for explicitly; give
# --tls-cert and --tls-key to serve TLS instead.
case " $* " in
  *" --tls-cert"*) exec "${BUILD_DIR:-build}/server/fieldsync-server" "$@" ;;
  *) exec "${BUILD_DIR:-build}/server/fieldsync-server" --plaintext "$@" ;;
esac
