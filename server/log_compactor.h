// Keeps the server log to its configured length: at start-up and then at a
// fixed interval, drops what ServerReplica::CompactLog may drop older than
// the last `retention` sequences. Owns one thread, stopped by the
// destructor.
#ifndef FIELDSYNC_SERVER_LOG_COMPACTOR_H_
#define FIELDSYNC_SERVER_LOG_COMPACTOR_H_

#include <chrono>
#include <cstdint>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "sync/server_replica.h"

namespace fieldsync::server {

class LogCompactor {
 public:
  // `replica` must outlive the compactor. Compacts once before returning.
  LogCompactor(ServerReplica* replica, uint64_t retention,
               std::chrono::seconds interval);
  ~LogCompactor();
  LogCompactor(const LogCompactor&) = delete;
  LogCompactor& operator=(const LogCompactor&) = delete;

  // Compacts now; returns the number of entries dropped.
  absl::StatusOr<size_t> RunOnce();

 private:
  ServerReplica* const replica_;
  const uint64_t retention_;
  const std::chrono::seconds interval_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_LOG_COMPACTOR_H_
