#include "server/listen_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace fieldsync::server {
namespace {

absl::Status BadAddress(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("--listen \"", std::string(text), "\": ", std::string(why),
                   " (expected HOST:PORT, e.g. 127.0.0.1:7443)"));
}

}  // namespace

std::string ListenAddress::ToString() const {
  if (host.find(':') != std::string::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return BadAddress(text, "no port");
  std::string_view host = text.substr(0, colon);
  std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) return BadAddress(text, "no host");
  int port = 0;
  if (!absl::SimpleAtoi(absl::string_view(port_text.data(), port_text.size()),
                        &port) ||
      port < 0 || port > 65535) {
    return BadAddress(text, absl::StrCat("port \"", std::string(port_text),
                                         "\" is not a number from 0 to 65535"));
  }
  return ListenAddress{std::string(host), port};
}

absl::Status ProbeBind(const ListenAddress& address) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_INET;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, address.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(address.port));
    length = sizeof(*v4);
  } else if (inet_pton(AF_INET6, address.host.c_str(), &v6->sin6_addr) == 1) {
    family = AF_INET6;
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(address.port));
    length = sizeof(*v6);
  } else {
    // A host name: gRPC resolves it; we cannot say more than gRPC did.
    return absl::OkStatus();
  }
  int fd = socket(family, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError(std::strerror(errno));
  // gRPC sets SO_REUSEADDR, so a port in TIME_WAIT is not "in use" for it.
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  int result = bind(fd, reinterpret_cast<sockaddr*>(&storage), length);
  int error = errno;
  close(fd);
  if (result != 0) return absl::UnavailableError(std::strerror(error));
  return absl::OkStatus();
}

}  // namespace fieldsync::server
