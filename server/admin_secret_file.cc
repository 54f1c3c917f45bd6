#include "server/admin_secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "sync/server_pin.h"

namespace fieldsync::server {
absl::Status WriteAdminSecretFile(const std::string& path,
                                  const std::string& secret,
                                  const std::string& server_sha256) {
  const std::string text = SecretFileText(secret, server_sha256);
  int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  // The mode also when the file was there before with a wider one.
  const bool written =
      fchmod(fd, 0600) == 0 &&
      write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  if (!written) return absl::FailedPreconditionError("cannot write " + path);
  return absl::OkStatus();
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
  return WriteAdminSecretFile(
      path, std::string(absl::StripAsciiWhitespace(secret)), server_sha256);
}

}  // namespace fieldsync::server
