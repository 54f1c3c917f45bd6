#include "server/auth_throttle.h"

#include "absl/strings/str_cat.h"

namespace fieldsync::server {

absl::Status AuthThrottle::Check(const std::string& address,
                                 const std::string& device,
                                 int64_t now_micros) {
  absl::MutexLock lock(&mu_);
  auto it = records_.find(Key{address, device});
  if (it == records_.end()) return absl::OkStatus();
  if (now_micros - it->second.window_start >= window_micros_) {
    records_.erase(it);  // the window has passed
    return absl::OkStatus();
  }
  if (it->second.failures < max_failures_) return absl::OkStatus();
  const int64_t wait_s =
      (it->second.window_start + window_micros_ - now_micros) / 1'000'000 + 1;
  return absl::ResourceExhaustedError(
      absl::StrCat("too many wrong secrets for device \"", device,
                   "\" from this address; try again in ", wait_s, " s"));
}

void AuthThrottle::Failed(const std::string& address, const std::string& device,
                          int64_t now_micros) {
  absl::MutexLock lock(&mu_);
  Record& r = records_[Key{address, device}];
  if (r.failures == 0 || now_micros - r.window_start >= window_micros_) {
    r = Record{.failures = 0, .window_start = now_micros};
  }
  ++r.failures;
}

void AuthThrottle::Succeeded(const std::string& address,
                             const std::string& device) {
  absl::MutexLock lock(&mu_);
  records_.erase(Key{address, device});
}

std::string PeerAddress(const std::string& peer) {
  const size_t colon = peer.rfind(':');
  const size_t scheme = peer.find(':');
  if (colon == std::string::npos || colon == scheme) return peer;
  return peer.substr(0, colon);
}

}  // namespace fieldsync::server
