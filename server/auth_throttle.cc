#include "server/auth_throttle.h"

#include <arpa/inet.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "sync/error_info.h"
#include "sync/tuning.h"

namespace fieldsync::server {
namespace {

// RESOURCE_EXHAUSTED, AUTH_THROTTLED, saying when to try again.
absl::Status Throttled(absl::string_view message, int64_t wait_seconds) {
  return WithReason(absl::ResourceExhaustedError(message),
                    reason::kAuthThrottled,
                    {{"retry_after_seconds", absl::StrCat(wait_seconds)}});
}

}  // namespace

AuthThrottleLimits DefaultAuthThrottleLimits() {
  return {.per_address = tuning::kMaxAuthFailuresPerAddress,
          .per_device = tuning::kMaxAuthFailuresPerDevice,
          .window_micros = tuning::kAuthFailureWindowMicros,
          .addresses = tuning::kAuthThrottleAddresses,
          .devices = tuning::kAuthThrottleDevices,
          .known_pairs = tuning::kAuthKnownAddresses};
}

int64_t AuthThrottle::WaitSeconds(const Window* window, int limit,
                                  int64_t now) const {
  if (window == nullptr || window->failures < limit ||
      now - window->start >= limits_.window_micros) {
    return 0;
  }
  return (window->start + limits_.window_micros - now) / 1'000'000 + 1;
}

void AuthThrottle::Count(Window& window, int64_t now) const {
  if (window.failures == 0 || now - window.start >= limits_.window_micros) {
    window = Window{.failures = 0, .start = now};
  }
  ++window.failures;
}

absl::Status AuthThrottle::Check(const std::string& address,
                                 const std::string& device,
                                 int64_t now_micros) {
  absl::MutexLock lock(&mu_);
  if (!device.empty() && known_.Find(Pair{device, address}) != nullptr) {
    return absl::OkStatus();
  }
  if (int64_t wait = WaitSeconds(addresses_.Find(address), limits_.per_address,
                                 now_micros);
      wait > 0) {
    return Throttled(
        absl::StrCat("too many wrong secrets from this address; try again "
                     "in ",
                     wait, " s"),
        wait);
  }
  if (device.empty()) return absl::OkStatus();
  if (int64_t wait =
          WaitSeconds(devices_.Find(device), limits_.per_device, now_micros);
      wait > 0) {
    return Throttled(
        absl::StrCat("too many wrong secrets for device \"", device,
                     "\" from addresses it has not used before; try again in ",
                     wait, " s, or from where it worked before"),
        wait);
  }
  return absl::OkStatus();
}

void AuthThrottle::Failed(const std::string& address, const std::string& device,
                          int64_t now_micros) {
  absl::MutexLock lock(&mu_);
  Count(addresses_.FindOrAdd(address), now_micros);
  // Guesses from where the device works do not lock it out elsewhere
  // either (they could only be made by its neighbours).
  if (device.empty() || known_.Find(Pair{device, address}) != nullptr) return;
  Count(devices_.FindOrAdd(device), now_micros);
}

void AuthThrottle::Succeeded(const std::string& address,
                             const std::string& device) {
  absl::MutexLock lock(&mu_);
  known_.FindOrAdd(Pair{device, address}) = true;
}

std::string PeerAddress(const std::string& peer) {
  const size_t colon = peer.rfind(':');
  const size_t scheme = peer.find(':');
  if (colon == std::string::npos || colon == scheme) return peer;
  return peer.substr(0, colon);
}

std::string ThrottleAddress(const std::string& peer) {
  std::string address = PeerAddress(peer);
  constexpr char kIpv6[] = "ipv6:[";
  if (address.rfind(kIpv6, 0) != 0 || address.back() != ']') return address;
  const std::string ip =
      address.substr(sizeof(kIpv6) - 1, address.size() - sizeof(kIpv6));
  unsigned char bytes[16];
  if (inet_pton(AF_INET6, ip.c_str(), bytes) != 1) return address;
  // An IPv4 client of a dual-stack socket is its IPv4 address.
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0,    0,
                                                0, 0, 0, 0, 0xff, 0xff};
  char text[INET6_ADDRSTRLEN];
  if (std::equal(kMapped, kMapped + 12, bytes)) {
    inet_ntop(AF_INET, bytes + 12, text, sizeof(text));
    return absl::StrCat("ipv4:", text);
  }
  std::fill(bytes + 8, bytes + 16, 0);
  inet_ntop(AF_INET6, bytes, text, sizeof(text));
  return absl::StrCat("ipv6:[", text, "]/64");
}

}  // namespace fieldsync::server
