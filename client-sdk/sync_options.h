// How LocalReplica::Sync behaves on a weak link, and what it tells the app
// while it runs: progress, and notices about the officer's own edits.
#ifndef FIELDSYNC_CLIENT_SDK_SYNC_OPTIONS_H_
#define FIELDSYNC_CLIENT_SDK_SYNC_OPTIONS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "fieldsync/v1/notice.pb.h"
#include "fieldsync/v1/sync.pb.h"

namespace fieldsync::client {

// Counts since the Sync call began; every field only grows during a call
// (retries included), so a progress bar never goes backwards. A total of 0
// means "not known yet" (a pull learns its size only as it goes).
struct SyncProgress {
  int64_t pushed_documents = 0;
  int64_t push_total_documents = 0;
  int64_t pushed_bytes = 0;
  int64_t push_total_bytes = 0;
  int64_t pulled_documents = 0;
  int64_t pulled_bytes = 0;
  // The server's estimate of the pull's size, never below pulled_documents;
  // 0 until the first page arrives.
  int64_t pull_total_documents = 0;
  int attempt = 1;
};

struct SyncOptions {
  // Called after each batch answered and each page stored.
  std::function<void(const SyncProgress&)> on_progress;
  // Called once per notice, when the sync that produced it has pulled the
  // server's value. The notices are also kept (LocalReplica::Notices).
  std::function<void(const v1::Notice&)> on_notice;
  // Attempts before giving up on a link that keeps failing; 1: no retry.
  int max_attempts = 6;
  // Exponential backoff between attempts, capped, with jitter: each wait is
  // drawn between half and all of the current cap, so tablets that lost the
  // same link do not all come back at the same instant.
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{60'000};
  // 0: seeded from the device's entropy.
  uint64_t jitter_seed = 0;
  // How to wait; null: sleep the calling thread. Tests pass a recorder.
  std::function<void(std::chrono::milliseconds)> sleep;
};

struct SyncReport {
  int pushed = 0;  // mutations the server answered
  int pulled = 0;  // documents received
  int attempts = 0;
  // Results a person should see: conflicts, amendments, rejections.
  std::vector<v1::MutationResult> attention;
  // The notices this sync completed, one per field.
  std::vector<v1::Notice> notices;
  // The waits between attempts.
  std::vector<std::chrono::milliseconds> backoffs;
};

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_SYNC_OPTIONS_H_
