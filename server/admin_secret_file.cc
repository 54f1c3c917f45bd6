#include "server/admin_secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "sync/private_files.h"
#include "sync/server_pin.h"

namespace fieldsync::server {
absl::Status WriteAdminSecretFile(const std::string& path,
                                  const std::string& secret,
                                  const std::string& server_sha256) {
  return ReplacePrivateFile(path, SecretFileText(secret, server_sha256));
}

absl::Status RepinAdminSecretFile(const std::string& path,
                                  const std::string& server_sha256) {
  std::ifstream file(path);
  if (!file) return absl::OkStatus();
  std::string secret;
  std::getline(file, secret);
  std::string rest;
  std::string line;
  while (std::getline(file, line)) absl::StrAppend(&rest, line, "\n");
  // The lines after the secret, as they would be written.
  const std::string wanted = SecretFileText("", server_sha256).substr(1);
  if (rest == wanted) return absl::OkStatus();
  return ReplacePrivateFile(
      path, SecretFileText(std::string(absl::StripAsciiWhitespace(secret)),
                           server_sha256));
}

}  // namespace fieldsync::server
