// What a device's secret file holds, and the enrolment text a QR code
// carries (the same text, so a tablet saves what it scans as its file):
//
//   fs1.dev-0123456789ab.<random>
//   server-certificate-sha256 <64 hex digits>
//
// The first line is the secret. The second, present when the server serves
// a certificate it made itself (fieldsync-server --tls-self-signed), pins
// that certificate (client-sdk/certificate_pin.h); the server writes the
// same format into <data dir>/admin-secret.
#ifndef FIELDSYNC_CLIENT_SDK_SECRET_FILE_H_
#define FIELDSYNC_CLIENT_SDK_SECRET_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "sync/server_pin.h"

namespace fieldsync::client {

// The pin in the secret file at `path`, lowercase; "" when it has none or
// cannot be read (reading the secret reports that). InvalidArgument naming
// the file when the pin line is not 64 hex digits.
absl::StatusOr<std::string> ReadServerPin(const std::string& path);

// Written with SecretFileText (sync/server_pin.h).
using ::fieldsync::SecretFileText;

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_SECRET_FILE_H_
