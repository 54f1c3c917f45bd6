// The file the server leaves its first province admin: <data dir>/
// admin-secret, readable by the server's user only. Its first line is the
// secret; when the server serves a certificate it made itself, a second
// line "server-certificate-sha256 <hex>" pins it, the format the CLI reads
// (client-sdk/secret_file.h), so `fieldsync --secret-file <that file>`
// speaks TLS to this server with nothing else to configure.
#ifndef FIELDSYNC_SERVER_ADMIN_SECRET_FILE_H_
#define FIELDSYNC_SERVER_ADMIN_SECRET_FILE_H_

#include <string>

#include "absl/status/status.h"

namespace fieldsync::server {

// Writes `secret` and, unless empty, the pin `server_sha256` to `path`, a
// new 0600 file that replaces what was there (sync/private_files.h: never
// written through a link). FailedPrecondition naming the path if it cannot.
absl::Status WriteAdminSecretFile(const std::string& path,
                                  const std::string& secret,
                                  const std::string& server_sha256);

// Makes the existing file at `path` pin `server_sha256` (no pin line when
// empty: the server no longer serves its own certificate), keeping its
// secret. OK, doing nothing, if there is no file there.
absl::Status RepinAdminSecretFile(const std::string& path,
                                  const std::string& server_sha256);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_ADMIN_SECRET_FILE_H_
