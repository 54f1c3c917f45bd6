#include "server/log_compactor.h"

#include <iostream>

namespace fieldsync::server {

LogCompactor::LogCompactor(ServerReplica* replica, uint64_t retention,
                           std::chrono::seconds interval)
    : replica_(replica), retention_(retention), interval_(interval) {
  if (absl::StatusOr<size_t> dropped = RunOnce(); !dropped.ok()) {
    std::cerr << "fieldsync-server: log compaction failed: "
              << dropped.status().message() << std::endl;
  }
  thread_ = std::thread([this] {
    while (!stop_.WaitForNotificationWithTimeout(absl::FromChrono(interval_))) {
      if (absl::StatusOr<size_t> dropped = RunOnce(); !dropped.ok()) {
        std::cerr << "fieldsync-server: log compaction failed: "
                  << dropped.status().message() << std::endl;
      }
    }
  });
}

LogCompactor::~LogCompactor() {
  stop_.Notify();
  thread_.join();
}

absl::StatusOr<size_t> LogCompactor::RunOnce() {
  const uint64_t last = replica_->last_sequence();
  if (last <= retention_) return 0;
  return replica_->CompactLog(last - retention_);
}

}  // namespace fieldsync::server
