#include "server/metrics_listener.h"

#include <CivetServer.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <prometheus/text_serializer.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "server/server_credentials.h"

namespace fieldsync::server {
namespace {

// Requests at once: Prometheus scrapes one at a time, a probe or two more.
constexpr char kThreads[] = "2";
// A scrape that stalls is cut off rather than holding a thread.
constexpr char kRequestTimeoutMs[] = "10000";

void Reply(mg_connection* conn, int code, const char* reason,
           const char* content_type, const std::string& body) {
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
            "Cache-Control: no-store\r\nConnection: close\r\n\r\n",
            code, reason, content_type, body.size());
  mg_write(conn, body.data(), body.size());
}

// civetweb logs to stderr by itself; its errors reach us as an exception
// or a failed request, so its own lines are dropped.
int Quiet(const mg_connection*, const char*) { return 1; }

}  // namespace

absl::StatusOr<std::optional<ListenAddress>> MetricsAddress(
    const std::string& text, bool allow_remote) {
  if (text.empty()) return std::nullopt;
  absl::StatusOr<ListenAddress> address = ParseListenAddress(text);
  if (!address.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--metrics-listen: ", std::string(address.status().message())));
  }
  if (!allow_remote && !IsLoopback(address->host)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--metrics-listen ", address->ToString(),
        ": /metrics answers anyone without authentication, so it listens on "
        "loopback only (127.0.0.1:9464) unless --metrics-allow-remote says "
        "otherwise; put a firewall or a reverse proxy in front if you do"));
  }
  return *address;
}

// One path's answer.
class MetricsListener::Handler : public CivetHandler {
 public:
  using Answer = std::function<void(mg_connection*)>;
  explicit Handler(Answer answer) : answer_(std::move(answer)) {}
  bool handleGet(CivetServer*, mg_connection* conn) override {
    answer_(conn);
    return true;
  }

 private:
  Answer answer_;
};

absl::StatusOr<std::unique_ptr<MetricsListener>> MetricsListener::Start(
    const ListenAddress& address) {
  std::unique_ptr<MetricsListener> listener(new MetricsListener());
  CivetCallbacks callbacks;
  callbacks.log_message = &Quiet;
  const std::vector<std::string> options = {
      "listening_ports",    address.ToString(), "num_threads",       kThreads,
      "request_timeout_ms", kRequestTimeoutMs,  "enable_keep_alive", "no"};
  // civetweb reports a port it cannot bind by exception: turned into a
  // status here, at the edge.
  try {
    listener->server_ = std::make_unique<CivetServer>(options, &callbacks);
  } catch (const CivetException& e) {
    return absl::UnavailableError(absl::StrCat(
        "cannot serve metrics on ", address.ToString(), ": ", e.what(),
        "; pick another with --metrics-listen (port 0 picks a "
        "free one, \"\" turns metrics off)"));
  }
  std::vector<int> ports = listener->server_->getListeningPorts();
  listener->port_ = ports.empty() ? 0 : ports.front();
  listener->address_ = address;
  MetricsListener* self = listener.get();
  auto add = [&](const char* path, Handler::Answer answer) {
    listener->handlers_.push_back(std::make_unique<Handler>(std::move(answer)));
    listener->server_->addHandler(path, listener->handlers_.back().get());
  };
  add("/metrics", [self](mg_connection* conn) {
    Reply(conn, 200, "OK", "text/plain; version=0.0.4; charset=utf-8",
          self->Scrape());
  });
  add("/healthz", [](mg_connection* conn) {
    Reply(conn, 200, "OK", "text/plain; charset=utf-8", "ok\n");
  });
  add("/readyz", [self](mg_connection* conn) {
    absl::Status ready = self->Ready();
    if (ready.ok()) {
      Reply(conn, 200, "OK", "text/plain; charset=utf-8", "ready\n");
    } else {
      Reply(conn, 503, "Service Unavailable", "text/plain; charset=utf-8",
            absl::StrCat("not ready: ", std::string(ready.message()), "\n"));
    }
  });
  return listener;
}

MetricsListener::~MetricsListener() {
  if (server_ == nullptr) return;
  // Joins civetweb's threads while the handlers and collectables exist.
  // Its acceptor looks at the stop flag only between polls of up to two
  // seconds; a connection ends the poll at once, so the closer is woken
  // with one until it is done, rather than holding every shutdown.
  absl::Notification closed;
  std::thread closer([this, &closed] {
    server_->close();
    closed.Notify();
  });
  while (!closed.WaitForNotificationWithTimeout(absl::Milliseconds(20))) {
    Poke();
  }
  closer.join();
  server_.reset();
}

void MetricsListener::Poke() const {
  const bool v6 = address_.host.find(':') != std::string::npos;
  const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return;
  // Any address of this machine: a wildcard's loopback twin.
  std::string host = address_.host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (v6) {
    sockaddr_in6 to{};
    to.sin6_family = AF_INET6;
    to.sin6_port = htons(static_cast<uint16_t>(port_));
    if (::inet_pton(AF_INET6, host.c_str(), &to.sin6_addr) == 1) {
      (void)::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to);
    }
  } else {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port_));
    if (::inet_pton(AF_INET, host.c_str(), &to.sin_addr) == 1) {
      (void)::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to);
    }
  }
  ::close(fd);
}

MetricsListener::Registration MetricsListener::Add(
    std::shared_ptr<prometheus::Collectable> collectable) {
  absl::MutexLock lock(&mu_);
  const uint64_t id = next_id_++;
  collectables_.emplace_back(id, std::move(collectable));
  return Registration(this, id);
}

void MetricsListener::Remove(uint64_t id) {
  // The writer lock waits for a scrape reading the collectable.
  absl::MutexLock lock(&mu_);
  std::erase_if(collectables_, [id](const auto& c) { return c.first == id; });
}

MetricsListener::Registration::Registration(Registration&& other) noexcept
    : listener_(std::exchange(other.listener_, nullptr)), id_(other.id_) {}

MetricsListener::Registration& MetricsListener::Registration::operator=(
    Registration&& other) noexcept {
  if (this != &other) {
    if (listener_ != nullptr) listener_->Remove(id_);
    listener_ = std::exchange(other.listener_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

MetricsListener::Registration::~Registration() {
  if (listener_ != nullptr) listener_->Remove(id_);
}

void MetricsListener::SetReadiness(std::function<absl::Status()> check) {
  absl::MutexLock lock(&mu_);
  readiness_ = std::move(check);
}

void MetricsListener::ClearReadiness(const std::string& why) {
  absl::MutexLock lock(&mu_);
  readiness_ = [why] { return absl::UnavailableError(why); };
}

absl::Status MetricsListener::Ready() const {
  absl::ReaderMutexLock lock(&mu_);
  if (!readiness_) return absl::UnavailableError("starting");
  return readiness_();
}

std::string MetricsListener::Scrape() const {
  std::vector<prometheus::MetricFamily> families;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [id, collectable] : collectables_) {
      std::vector<prometheus::MetricFamily> more = collectable->Collect();
      families.insert(families.end(), std::make_move_iterator(more.begin()),
                      std::make_move_iterator(more.end()));
    }
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace fieldsync::server
