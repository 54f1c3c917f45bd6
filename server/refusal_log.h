// Refused calls (no secret, a wrong or revoked one, too many guesses),
// counted rather than written one by one: a flood of calls without a valid
// secret must cost the server neither a disk write each nor memory that
// grows with it. Every interval, and at destruction, each (address, device
// claimed) that was refused becomes one "refused" audit event with its
// counts. The counts live in an LruMap of fixed capacity; what it evicts is
// summed into one event "from other addresses". Owns one thread, stopped by
// the destructor. Thread-safe.
#ifndef FIELDSYNC_SERVER_REFUSAL_LOG_H_
#define FIELDSYNC_SERVER_REFUSAL_LOG_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "server/audit_log.h"
#include "server/lru_map.h"

namespace fieldsync::server {

enum class RefusalKind { kNoSecret = 0, kWrongSecret = 1, kThrottled = 2 };

class RefusalLog {
 public:
  // `audit` must outlive the log.
  RefusalLog(AuditLog* audit, std::chrono::seconds interval, size_t capacity);
  ~RefusalLog();
  RefusalLog(const RefusalLog&) = delete;
  RefusalLog& operator=(const RefusalLog&) = delete;

  // Counts a refused call from `address` claiming `device` (an enrolled
  // device's id, or ""); `why` is what the caller was told.
  void Count(const std::string& address, const std::string& device,
             RefusalKind refusal, const std::string& why)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Audits what was counted since the last time, and starts again.
  void Flush() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Counts {
    std::array<int64_t, 3> by_refusal{};  // indexed by RefusalKind
    std::string last_why;
  };
  using Key = std::pair<std::string, std::string>;  // (address, device)

  static void Add(const Counts& from, Counts& to);
  static std::string Detail(const Counts& counts);

  AuditLog* const audit_;
  absl::Mutex mu_;
  LruMap<Key, Counts> counts_ ABSL_GUARDED_BY(mu_);
  Counts others_ ABSL_GUARDED_BY(mu_);  // evicted from counts_
  int64_t other_entries_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_REFUSAL_LOG_H_
