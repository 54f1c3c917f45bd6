// The server's data directory: created if missing, and checked to be a
// writable directory before RocksDB is opened in it, so a bad path gets a
// plain message instead of a storage error.
#ifndef FIELDSYNC_SERVER_DATA_DIR_H_
#define FIELDSYNC_SERVER_DATA_DIR_H_

#include <string>

#include "absl/status/status.h"

namespace fieldsync::server {

// FailedPrecondition naming the path and the reason if `path` cannot be
// created or written.
absl::Status PrepareDataDir(const std::string& path);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_DATA_DIR_H_
