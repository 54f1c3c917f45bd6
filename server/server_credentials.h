// The server's transport security: TLS from certificate files (mutual TLS
// when a client CA is given), plaintext only when asked for with
// --plaintext, and then with a warning.
#ifndef FIELDSYNC_SERVER_SERVER_CREDENTIALS_H_
#define FIELDSYNC_SERVER_SERVER_CREDENTIALS_H_

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "server/listen_address.h"

namespace fieldsync::server {

struct TlsOptions {
  std::string cert_file;       // PEM certificate chain of the server
  std::string key_file;        // PEM private key of the server
  std::string client_ca_file;  // PEM CA of client certificates: mTLS
  bool plaintext = false;      // explicitly accept serving without TLS
};

// Credentials for serving on `address`; InvalidArgument or
// FailedPrecondition naming the option or file otherwise. Prints a warning
// to stderr when serving plaintext.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const TlsOptions& tls, const ListenAddress& address);

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopback(const std::string& host);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_SERVER_CREDENTIALS_H_
