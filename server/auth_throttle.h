// Slows down secret guessing, separately per source address and per device:
//  - an address that sent too many wrong secrets, for any devices, is
//    refused for a while;
//  - a device whose secret was guessed at too often is refused for a while
//    from every address it has not authenticated from before.
// The addresses a device authenticated from stay open to it whatever
// happens around it: rural carriers put many tablets, and perhaps a
// stranger, behind one address, and a stranger must not lock a device out.
//
// Its memory is bounded: every table is an LruMap of fixed capacity, keyed
// by address, by enrolled device (the caller passes "" for a device id that
// is not enrolled, so made-up ids key nothing) or by a pair that once
// authenticated. Thread-safe.
#ifndef FIELDSYNC_SERVER_AUTH_THROTTLE_H_
#define FIELDSYNC_SERVER_AUTH_THROTTLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/lru_map.h"

namespace fieldsync::server {

struct AuthThrottleLimits {
  // Wrong secrets tolerated within `window_micros`, from one address (for
  // any devices) and for one device (from addresses it never used).
  int per_address = 0;
  int per_device = 0;
  int64_t window_micros = 0;
  // Capacities of the tables: addresses and devices being counted, and
  // (device, address) pairs that authenticated.
  size_t addresses = 1;
  size_t devices = 1;
  size_t known_pairs = 1;
};

// The limits of sync/tuning.h.
AuthThrottleLimits DefaultAuthThrottleLimits();

class AuthThrottle {
 public:
  explicit AuthThrottle(const AuthThrottleLimits& limits)
      : limits_(limits),
        addresses_(limits.addresses),
        devices_(limits.devices),
        known_(limits.known_pairs) {}

  // ResourceExhausted, saying when to try again, if a call from `address`
  // for `device` ("" if none enrolled is claimed) is refused at
  // `now_micros`.
  absl::Status Check(const std::string& address, const std::string& device,
                     int64_t now_micros) ABSL_LOCKS_EXCLUDED(mu_);

  // A wrong secret from `address` claiming `device`.
  void Failed(const std::string& address, const std::string& device,
              int64_t now_micros) ABSL_LOCKS_EXCLUDED(mu_);
  // `device` authenticated from `address`: that address stays open to it.
  void Succeeded(const std::string& address, const std::string& device)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Window {
    int failures = 0;
    int64_t start = 0;
  };
  using Pair = std::pair<std::string, std::string>;  // (device, address)

  // The seconds until `window` lets calls through again, 0 if it does now.
  int64_t WaitSeconds(const Window* window, int limit, int64_t now) const;
  void Count(Window& window, int64_t now) const;

  const AuthThrottleLimits limits_;
  absl::Mutex mu_;
  LruMap<std::string, Window> addresses_ ABSL_GUARDED_BY(mu_);
  LruMap<std::string, Window> devices_ ABSL_GUARDED_BY(mu_);
  LruMap<Pair, bool> known_ ABSL_GUARDED_BY(mu_);
};

// The address part of a gRPC peer string ("ipv4:10.1.2.3:5555" ->
// "ipv4:10.1.2.3", "ipv6:[::1]:5555" -> "ipv6:[::1]").
std::string PeerAddress(const std::string& peer);

// The address a peer is throttled by: its IPv4 address, or its IPv6 /64
// network, which one subscriber usually holds whole ("ipv6:[2001:db8:1:2::
// 5]:443" -> "ipv6:[2001:db8:1:2::]/64").
std::string ThrottleAddress(const std::string& peer);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_AUTH_THROTTLE_H_
