// A plain HTTP/1.1 GET over a loopback socket, for tests of the server's
// metrics listener (/metrics, /healthz, /readyz): enough of HTTP for a
// server that closes the connection after each answer, nothing more.
#ifndef FIELDSYNC_TESTS_SUPPORT_HTTP_GET_H_
#define FIELDSYNC_TESTS_SUPPORT_HTTP_GET_H_

#include <string>

#include "absl/status/statusor.h"

namespace fieldsync::testing {

struct HttpAnswer {
  int status = 0;       // 200, 503, ...
  std::string headers;  // the status line and headers, as sent
  std::string body;
};

// GET http://127.0.0.1:`port``path`; Unavailable if nothing answers.
absl::StatusOr<HttpAnswer> HttpGet(int port, const std::string& path);

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_SUPPORT_HTTP_GET_H_
