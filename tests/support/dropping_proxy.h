// A TCP proxy on loopback that forwards to a server and cuts each connection
// after a random number of bytes, like a 2G link that drops every few
// minutes. For tests only; it owns its threads and stops them in its
// destructor.
#ifndef FIELDSYNC_TESTS_SUPPORT_DROPPING_PROXY_H_
#define FIELDSYNC_TESTS_SUPPORT_DROPPING_PROXY_H_

#include <atomic>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace fieldsync::testing {

class DroppingProxy {
 public:
  // Forwards to `target_port` on 127.0.0.1; each connection is cut after a
  // number of bytes (both directions) drawn from [min_bytes, max_bytes].
  // With a `source_ip` (another loopback address, "127.0.0.2"), it connects
  // to the server from there, so the server sees calls through the proxy
  // come from another peer, as from another network.
  DroppingProxy(int target_port, uint64_t min_bytes, uint64_t max_bytes,
                uint64_t seed, const std::string& source_ip = "");
  ~DroppingProxy();
  DroppingProxy(const DroppingProxy&) = delete;
  DroppingProxy& operator=(const DroppingProxy&) = delete;

  // "127.0.0.1:PORT" of the proxy.
  std::string address() const;
  // How many connections were cut so far.
  int cuts() const { return cuts_.load(); }
  // From now on, forward without cutting.
  void StopCutting() { cutting_.store(false); }

 private:
  void Accept();
  void Relay(int client, int server, uint64_t budget);

  const int target_port_;
  const std::string source_ip_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> cutting_{true};
  std::atomic<int> cuts_{0};
  absl::Mutex mu_;
  std::mt19937_64 rng_ ABSL_GUARDED_BY(mu_);
  const uint64_t min_bytes_, max_bytes_;
  std::thread acceptor_;
  std::vector<std::thread> relays_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_SUPPORT_DROPPING_PROXY_H_
