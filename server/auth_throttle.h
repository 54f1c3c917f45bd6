// Slows down secret guessing: after too many wrong secrets for one device
// from one network address, that pair is refused for a while, even with the
// right secret. Other devices, and the same device from elsewhere, are not
// affected; rural carriers put many tablets behind one address, so the
// address alone must not decide. Thread-safe.
#ifndef FIELDSYNC_SERVER_AUTH_THROTTLE_H_
#define FIELDSYNC_SERVER_AUTH_THROTTLE_H_

#include <cstdint>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace fieldsync::server {

class AuthThrottle {
 public:
  // At most `max_failures` wrong secrets per (address, device) within
  // `window_micros`; then refused until the window has passed.
  AuthThrottle(int max_failures, int64_t window_micros)
      : max_failures_(max_failures), window_micros_(window_micros) {}

  // ResourceExhausted if the pair is refused at `now_micros`.
  absl::Status Check(const std::string& address, const std::string& device,
                     int64_t now_micros) ABSL_LOCKS_EXCLUDED(mu_);

  void Failed(const std::string& address, const std::string& device,
              int64_t now_micros) ABSL_LOCKS_EXCLUDED(mu_);
  void Succeeded(const std::string& address, const std::string& device)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Record {
    int failures = 0;
    int64_t window_start = 0;
  };
  using Key = std::pair<std::string, std::string>;

  const int max_failures_;
  const int64_t window_micros_;
  absl::Mutex mu_;
  absl::flat_hash_map<Key, Record> records_ ABSL_GUARDED_BY(mu_);
};

// The address part of a gRPC peer string ("ipv4:10.1.2.3:5555" ->
// "ipv4:10.1.2.3", "ipv6:[::1]:5555" -> "ipv6:[::1]").
std::string PeerAddress(const std::string& peer);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_AUTH_THROTTLE_H_
