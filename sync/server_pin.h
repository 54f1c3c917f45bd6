// The pin of a server that made its own certificate (fieldsync-server
// --tls-self-signed), as the server writes it and tablets read it: the
// SHA-256 of the certificate's DER bytes, and the secret-file text that
// carries it (also the enrolment QR code's text):
//
//   fs1.dev-0123456789ab.<random>
//   server-certificate-sha256 <64 hex digits>
//
// Here, below both, so the two sides share one definition.
#ifndef FIELDSYNC_SYNC_SERVER_PIN_H_
#define FIELDSYNC_SYNC_SERVER_PIN_H_

#include <string>

#include "absl/status/statusor.h"

namespace fieldsync {

inline constexpr char kServerPinLabel[] = "server-certificate-sha256";

// Lowercase hex SHA-256 of the DER form of the first certificate in `pem`;
// InvalidArgument if it holds none.
absl::StatusOr<std::string> PemCertificateSha256(const std::string& pem);

// The secret file's text for `secret` and, unless empty, `server_sha256`.
std::string SecretFileText(const std::string& secret,
                           const std::string& server_sha256);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_SERVER_PIN_H_
