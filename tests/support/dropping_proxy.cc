#include "tests/support/dropping_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"

namespace fieldsync::testing {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  return addr;
}

}  // namespace

DroppingProxy::DroppingProxy(int target_port, uint64_t min_bytes,
                             uint64_t max_bytes, uint64_t seed,
                             const std::string& source_ip)
    : target_port_(target_port),
      source_ip_(source_ip),
      rng_(seed),
      min_bytes_(min_bytes),
      max_bytes_(max_bytes) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = Loopback(0);
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  listen(listen_fd_, 16);
  socklen_t len = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { Accept(); });
}

DroppingProxy::~DroppingProxy() {
  stopping_.store(true);
  shutdown(listen_fd_, SHUT_RDWR);
  close(listen_fd_);
  acceptor_.join();
  std::vector<std::thread> relays;
  {
    absl::MutexLock lock(&mu_);
    relays.swap(relays_);
  }
  for (std::thread& t : relays) t.join();
}

std::string DroppingProxy::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

void DroppingProxy::Accept() {
  while (!stopping_.load()) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (poll(&pfd, 1, 100) <= 0) continue;
    int client = accept(listen_fd_, nullptr, nullptr);
    if (client < 0) continue;
    int server = socket(AF_INET, SOCK_STREAM, 0);
    if (!source_ip_.empty()) {
      sockaddr_in source = Loopback(0);
      inet_pton(AF_INET, source_ip_.c_str(), &source.sin_addr);
      bind(server, reinterpret_cast<sockaddr*>(&source), sizeof(source));
    }
    sockaddr_in target = Loopback(target_port_);
    if (connect(server, reinterpret_cast<sockaddr*>(&target), sizeof(target)) !=
        0) {
      close(client);
      close(server);
      continue;
    }
    absl::MutexLock lock(&mu_);
    const uint64_t budget =
        std::uniform_int_distribution<uint64_t>(min_bytes_, max_bytes_)(rng_);
    relays_.emplace_back(
        [this, client, server, budget] { Relay(client, server, budget); });
  }
}

void DroppingProxy::Relay(int client, int server, uint64_t budget) {
  uint64_t moved = 0;
  char buffer[16384];
  while (!stopping_.load()) {
    pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    if (poll(fds, 2, 100) <= 0) continue;
    bool closed = false;
    for (int i = 0; i < 2 && !closed; ++i) {
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      // Never past the budget: the cut lands mid-message.
      size_t want = sizeof(buffer);
      if (cutting_.load()) want = std::min<uint64_t>(want, budget - moved);
      ssize_t n = want == 0 ? 0 : read(fds[i].fd, buffer, want);
      if (n <= 0) {
        closed = true;
        break;
      }
      const int to = i == 0 ? server : client;
      for (ssize_t done = 0; done < n;) {
        ssize_t w = write(to, buffer + done, static_cast<size_t>(n - done));
        if (w <= 0) {
          closed = true;
          break;
        }
        done += w;
      }
      moved += static_cast<uint64_t>(n);
    }
    if (cutting_.load() && moved >= budget) {
      cuts_.fetch_add(1);
      closed = true;
    }
    if (closed) break;
  }
  close(client);
  close(server);
}

}  // namespace fieldsync::testing
