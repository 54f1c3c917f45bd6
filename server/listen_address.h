// Parsing and checking the server's --listen address.
#ifndef FIELDSYNC_SERVER_LISTEN_ADDRESS_H_
#define FIELDSYNC_SERVER_LISTEN_ADDRESS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace fieldsync::server {

struct ListenAddress {
  std::string host;  // "127.0.0.1", "0.0.0.0", "::1" (no brackets)
  int port = 0;      // 0: the system picks a free port

  // "host:port", with brackets around an IPv6 host.
  std::string ToString() const;
};

// Parses "HOST:PORT" or "[V6HOST]:PORT"; InvalidArgument naming the value.
absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view text);

// Why binding `address` fails (e.g. "Address already in use"), found by
// trying it with a plain socket; OK if it can be bound.
absl::Status ProbeBind(const ListenAddress& address);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_LISTEN_ADDRESS_H_
