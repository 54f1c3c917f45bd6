// The server's transport security: TLS from certificate files (mutual TLS
// when a client CA is given) or from a self-signed certificate the server
// makes (server/self_signed_certificate.h); plaintext only when asked for
// with --plaintext, only on loopback, and then with a warning. Secrets
// travel in every call: off loopback, plaintext would hand them to anyone
// on the network.
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
  // Serve TLS with the certificate in the data folder, made on first start.
  bool self_signed = false;
};

// InvalidArgument naming the options that do not go together, or
// --plaintext on an address that is not loopback. Reads no file.
absl::Status CheckTlsOptions(const TlsOptions& tls,
                             const ListenAddress& address);

// Credentials for serving on `address` (after CheckTlsOptions; a
// self-signed certificate's files already in cert_file and key_file);
// InvalidArgument or FailedPrecondition naming the option or file
// otherwise. Prints a warning to stderr when serving plaintext.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const TlsOptions& tls, const ListenAddress& address);

// True for the addresses 127.0.0.0/8, ::1 (and ::ffff:127.x.y.z) and the
// name "localhost"; a host name is not loopback even if it starts "127.".
bool IsLoopback(const std::string& host);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_SERVER_CREDENTIALS_H_
