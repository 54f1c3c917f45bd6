#include "sync/private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace fieldsync {
namespace {

absl::Status FileError(absl::StatusCode code, const std::string& path,
                       const std::string& why) {
  return absl::Status(code, absl::StrCat("\"", path, "\" ", why));
}

// Opens a new file at `path`, owner-only; fails if anything is there, a
// link included.
int OpenNew(const std::string& path) {
  return ::open(path.c_str(),
                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
}

// Writes all of `text` to `fd` and syncs it; closes `fd`.
bool WriteAndClose(int fd, std::string_view text) {
  bool ok = ::fchmod(fd, 0600) == 0;  // 0600 is masked by the umask
  size_t done = 0;
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  return ::close(fd) == 0 && ok;
}

}  // namespace

absl::Status MakePrivateDir(const std::string& path) {
  if (path.empty()) {
    return absl::FailedPreconditionError("the folder's path is empty");
  }
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) {
    return FileError(absl::StatusCode::kFailedPrecondition, path,
                     absl::StrCat("cannot be created: ", error.message()));
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return FileError(absl::StatusCode::kFailedPrecondition, path,
                     "is not a folder");
  }
  if ((st.st_mode & 07777) != 0700 && ::chmod(path.c_str(), 0700) != 0) {
    return FileError(absl::StatusCode::kFailedPrecondition, path,
                     absl::StrCat("cannot be made owner-only (chmod 700): ",
                                  std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status ReplacePrivateFile(const std::string& path,
                                std::string_view text) {
  const std::string temporary = path + ".tmp";
  // A temporary left by a crash, or a link planted in its place: unlink
  // removes the link itself, never what it points to.
  if (::unlink(temporary.c_str()) != 0 && errno != ENOENT) {
    return FileError(absl::StatusCode::kFailedPrecondition, temporary,
                     absl::StrCat("cannot be removed: ", std::strerror(errno)));
  }
  const int fd = OpenNew(temporary);
  if (fd < 0) {
    return FileError(absl::StatusCode::kFailedPrecondition, temporary,
                     absl::StrCat("cannot be created: ", std::strerror(errno)));
  }
  if (!WriteAndClose(fd, text)) {
    const int saved = errno;
    ::unlink(temporary.c_str());
    return FileError(absl::StatusCode::kFailedPrecondition, temporary,
                     absl::StrCat("cannot be written: ", std::strerror(saved)));
  }
  // rename() replaces a link at `path` by the file; it never follows it.
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temporary.c_str());
    return FileError(
        absl::StatusCode::kFailedPrecondition, path,
        absl::StrCat("cannot be replaced: ", std::strerror(saved)));
  }
  return absl::OkStatus();
}

}  // namespace fieldsync
