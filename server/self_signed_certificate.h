// The certificate a server makes for itself when it is asked to serve TLS
// without one (--tls-self-signed, what scripts/serve.sh passes off
// loopback): serving on a LAN is then as easy as plaintext, and clients pin
// the certificate by its SHA-256 instead of trusting a CA nobody runs. Made
// once, on first start, and kept in the data folder so the pin holds across
// restarts.
#ifndef FIELDSYNC_SERVER_SELF_SIGNED_CERTIFICATE_H_
#define FIELDSYNC_SERVER_SELF_SIGNED_CERTIFICATE_H_

#include <string>

#include "absl/status/statusor.h"

namespace fieldsync::server {

struct SelfSignedCertificate {
  std::string cert_file;  // <data dir>/tls/server.pem
  std::string key_file;   // <data dir>/tls/server.key, mode 0600
  // Lowercase hex SHA-256 of the certificate's DER bytes: what clients pin.
  std::string sha256;
  bool created = false;  // made by this call (first start)
};

// The certificate in `data_dir`/tls, made there first if it is missing: an
// ECDSA P-256 key and a certificate valid for ten years, naming localhost,
// 127.0.0.1, ::1 and this host's name (clients that pin do not check
// names; the names are for clients that trust the file as a CA instead).
// FailedPrecondition naming the file if it cannot be written or read, or if
// the key is readable by anyone but its owner.
absl::StatusOr<SelfSignedCertificate> EnsureSelfSignedCertificate(
    const std::string& data_dir);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_SELF_SIGNED_CERTIFICATE_H_
