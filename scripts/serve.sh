#!/usr/bin/env bash
# Command (1): install what is missing, build, and run the server on its
# embedded default: RocksDB in ./fieldsync-data, loaded with the Đồng Tháp
# catalogue on first start, gRPC on 127.0.0.1:7443. Extra arguments go to
# fieldsync-server (e.g. --listen 0.0.0.0:7443).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
server="${BUILD_DIR:-build}/server/fieldsync-server"
# Given a transport (--tls-cert, --tls-self-signed, --plaintext), the
# server gets the arguments as they are.
case " $* " in
  *" --tls-cert"* | *" --tls-self-signed "* | *" --plaintext "*)
    exec "$server" "$@" ;;
esac
# Otherwise: plaintext on loopback (the default 127.0.0.1:7443), where no
# one else can listen in; on any other address TLS with a certificate the
# server makes in its data folder on first start, which clients pin (the
# admin secret file and the enrolment QR codes carry its SHA-256).
listen=127.0.0.1:7443
previous=""
for arg in "$@"; do
  case "$arg" in
    --listen=*) listen="${arg#--listen=}" ;;
    *) [ "$previous" = "--listen" ] && listen="$arg" ;;
  esac
  previous="$arg"
done
host="${listen%:*}"
case "$host" in
  127.* | localhost | ::1 | "[::1]") exec "$server" --plaintext "$@" ;;
  *) exec "$server" --tls-self-signed "$@" ;;
esac
