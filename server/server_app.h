// fieldsync-server's start-up and shutdown: prepare the data directory, open
// the store, load the seed once, serve until SIGINT or SIGTERM.
#ifndef FIELDSYNC_SERVER_SERVER_APP_H_
#define FIELDSYNC_SERVER_SERVER_APP_H_

#include <string>

#include "server/server_credentials.h"

namespace fieldsync::server {

struct ServerOptions {
  std::string listen = "127.0.0.1:7443";
  std::string data_dir = "./fieldsync-data";
  // "sync": acknowledge a push once the WAL is fsynced (survives power
  // loss); "relaxed": once written (survives a process crash only).
  std::string durability = "sync";
  // How many of the latest server sequences keep their whole log; older
  // superseded entries are compacted away (sync/server_replica.h).
  uint64_t log_retention = 1'000'000;
  // RocksDB's cache of table blocks, shared by every column family, in MiB:
  // what a pull reads again without decompressing it.
  size_t block_cache_mb = 256;
  // TLS certificate, key and (for mutual TLS) client CA; plaintext only
  // with `tls.plaintext`.
  TlsOptions tls;
  // Development only: identify devices by the x-fieldsync-device header.
  bool dev_device_header = false;
  // Where /metrics, /healthz and /readyz are served ("" for nowhere): an
  // HTTP listener of its own, unauthenticated, so on loopback unless
  // `metrics_allow_remote` (server/metrics_listener.h).
  std::string metrics_listen = "127.0.0.1:9464";
  bool metrics_allow_remote = false;
  // Whether metrics_listen was given (flag or config file) rather than
  // left at its default. Only then is a port that cannot be bound fatal:
  // the default port taken (a second server on the machine, say) leaves
  // the server without metrics, with a warning, rather than not serving.
  bool metrics_listen_given = false;
};

// Blocks SIGINT and SIGTERM in the calling thread; call it first in main(),
// before any thread starts, so that every thread inherits the mask and
// RunServer() alone receives them.
void BlockShutdownSignals();

// Runs the server; returns the process exit code (0 after a clean shutdown).
// Messages go to stdout; errors to stderr, each naming what was wrong.
int RunServer(const ServerOptions& options);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_SERVER_APP_H_
