// The operator's HTTP listener (--metrics-listen, 127.0.0.1:9464 unless
// told otherwise), apart from the gRPC port: Prometheus' text format at
// /metrics, /healthz (the process is up: 200 whenever it answers) and
// /readyz (200 once the store is open and the gRPC server serves, 503
// saying why otherwise: starting, stopped taking writes after a failed
// one, shutting down). Unauthenticated, as Prometheus scrapes are, so it
// listens on loopback unless explicitly allowed otherwise.
//
// Served by civetweb, the HTTP server prometheus-cpp's pull Exposer wraps
// (Debian's libcivetweb-dev, which prometheus-cpp-dev depends on).
// The Exposer is not used: it answers every path it serves with 200 and
// offers no way to add a handler that answers 503, which /readyz must.
// prometheus-cpp's core still keeps the counters and writes the text
// (prometheus::TextSerializer).
//
// Threads: civetweb owns its acceptor and two request threads, started
// here and joined by the destructor (on a thread of its own for the time
// it takes, see there). Collect() of each registered collectable runs on
// them, under a reader lock, so a Registration's destructor waits for a
// scrape in progress before what it reads goes away.
#ifndef FIELDSYNC_SERVER_METRICS_LISTENER_H_
#define FIELDSYNC_SERVER_METRICS_LISTENER_H_

#include <prometheus/collectable.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/listen_address.h"

class CivetServer;

namespace fieldsync::server {

// What `--metrics-listen` and `--metrics-allow-remote` allow: nothing for
// "" (metrics off), the address on loopback, any address only if
// `allow_remote`. InvalidArgument naming the flag otherwise.
absl::StatusOr<std::optional<ListenAddress>> MetricsAddress(
    const std::string& text, bool allow_remote);

class MetricsListener {
 public:
  // Serves on `address` (port 0: a free one, port()); Unavailable naming
  // the address if it cannot.
  static absl::StatusOr<std::unique_ptr<MetricsListener>> Start(
      const ListenAddress& address);
  // Stops serving; waits for the requests in progress.
  ~MetricsListener();
  MetricsListener(const MetricsListener&) = delete;
  MetricsListener& operator=(const MetricsListener&) = delete;

  // The port bound.
  int port() const { return port_; }

  // Serves `collectable` at /metrics until the Registration goes; declare
  // the Registration after everything Collect() reads.
  class Registration {
   public:
    Registration() = default;
    Registration(Registration&& other) noexcept;
    Registration& operator=(Registration&& other) noexcept;
    ~Registration();

   private:
    friend class MetricsListener;
    Registration(MetricsListener* listener, uint64_t id)
        : listener_(listener), id_(id) {}
    MetricsListener* listener_ = nullptr;
    uint64_t id_ = 0;
  };
  Registration Add(std::shared_ptr<prometheus::Collectable> collectable)
      ABSL_LOCKS_EXCLUDED(mu_);

  // What /readyz answers: OK for 200, else 503 with the status' message.
  // Until set, "starting". The check runs on a request thread; it must not
  // block and must stay valid until replaced (ClearReadiness).
  void SetReadiness(std::function<absl::Status()> check)
      ABSL_LOCKS_EXCLUDED(mu_);
  // /readyz answers 503 with `why` from now on (shutting down).
  void ClearReadiness(const std::string& why) ABSL_LOCKS_EXCLUDED(mu_);

  // The text /metrics serves now (Prometheus text format 0.0.4).
  std::string Scrape() const ABSL_LOCKS_EXCLUDED(mu_);
  // /readyz's answer now.
  absl::Status Ready() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  class Handler;
  MetricsListener() = default;
  void Remove(uint64_t id) ABSL_LOCKS_EXCLUDED(mu_);
  // Opens and closes a connection to the listener (see the destructor).
  void Poke() const;

  mutable absl::Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::vector<std::pair<uint64_t, std::shared_ptr<prometheus::Collectable>>>
      collectables_ ABSL_GUARDED_BY(mu_);
  std::function<absl::Status()> readiness_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Handler>> handlers_;
  ListenAddress address_;  // as bound, with port_
  int port_ = 0;
  // Declared last: destroyed first, so no request runs on what is above.
  std::unique_ptr<CivetServer> server_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_METRICS_LISTENER_H_
