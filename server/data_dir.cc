#include "server/data_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "sync/private_files.h"

namespace fieldsync::server {
namespace {

absl::Status DirError(const std::string& path, std::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("data directory \"", path, "\" ", std::string(why),
                   "; pass a writable folder with --data-dir"));
}

}  // namespace

absl::Status PrepareDataDir(const std::string& path) {
  if (path.empty()) return DirError(path, "is empty");
  std::error_code error;
  if (std::filesystem::exists(path, error) &&
      !std::filesystem::is_directory(path, error)) {
    return DirError(path, "is not a directory");
  }
  // Owner-only: it holds records about people and the first admin's secret.
  if (absl::Status made = MakePrivateDir(path); !made.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("data directory ", made.message(),
                     "; pass a writable folder with --data-dir"));
  }
  // Permission bits do not tell the whole story (read-only mounts, root), so
  // try a real write.
  const std::string probe = path + "/.fieldsync-write-check";
  int fd = open(probe.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0 || write(fd, "ok", 2) != 2) {
    const int saved = errno;
    if (fd >= 0) close(fd);
    return DirError(path,
                    absl::StrCat("is not writable: ", std::strerror(saved)));
  }
  close(fd);
  unlink(probe.c_str());
  return absl::OkStatus();
}

}  // namespace fieldsync::server
