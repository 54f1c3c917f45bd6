#include "client-sdk/cli/tablet_home.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/secret_file.h"
#include "google/protobuf/text_format.h"

namespace fieldsync::cli {
namespace {

constexpr char kLoginFile[] = "login.txt";
constexpr char kSecretFile[] = "secret";
constexpr char kReplicaDir[] = "replica";

// Writes `text` to `path` atomically (a temporary file renamed over it), so
// a command killed halfway leaves the old login or the new, never half.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& text, mode_t mode) {
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        "cannot write \"", temporary, "\": ", std::strerror(errno)));
  }
  const bool written =
      ::write(fd, text.data(), text.size()) == ssize_t(text.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::DataLossError(
        absl::StrCat("cannot write \"", path, "\": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace

std::string TabletHome::Resolve(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("FIELDSYNC_HOME"); env && *env) return env;
  const char* home = std::getenv("HOME");
  return absl::StrCat(home != nullptr ? home : ".", "/.fieldsync");
}

absl::Status TabletHome::Save(const Login& login, const std::string& secret,
                              const std::string& server_sha256) const {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) {
    return absl::PermissionDeniedError(absl::StrCat(
        "cannot create the folder \"", dir_, "\": ", error.message()));
  }
  absl::Status s = WriteFileAtomically(
      SecretPath(), client::SecretFileText(secret, server_sha256), 0600);
  if (!s.ok()) return s;
  std::string device;
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  printer.PrintToString(login.device, &device);
  return WriteFileAtomically(
      absl::StrCat(dir_, "/", kLoginFile),
      absl::StrCat("server: ", login.server, "\n---\n", device), 0644);
}

absl::StatusOr<Login> TabletHome::LoadLogin() const {
  const std::string path = absl::StrCat(dir_, "/", kLoginFile);
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("nobody has logged in on this tablet (", dir_,
                     "): run `fieldsync login --secret-file FILE` first"));
  }
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  const size_t split = all.find("\n---\n");
  constexpr std::string_view kServer = "server: ";
  if (split == std::string::npos || !all.starts_with(kServer)) {
    return absl::DataLossError(absl::StrCat("\"", path, "\" is damaged"));
  }
  Login login;
  login.server = all.substr(kServer.size(), split - kServer.size());
  if (!google::protobuf::TextFormat::ParseFromString(all.substr(split + 5),
                                                     &login.device)) {
    return absl::DataLossError(absl::StrCat("\"", path, "\" is damaged"));
  }
  return login;
}

std::string TabletHome::SecretPath() const {
  return absl::StrCat(dir_, "/", kSecretFile);
}

absl::StatusOr<std::string> TabletHome::LoadSecret() const {
  return client::ReadSecretFile(SecretPath());
}

absl::StatusOr<std::unique_ptr<client::LocalReplica>> TabletHome::OpenReplica(
    const Login& login) const {
  auto replica = client::LocalReplica::Open(
      absl::StrCat(dir_, "/", kReplicaDir), login.device.id());
  if (!replica.ok() && absl::StrContains(replica.status().message(), "lock")) {
    return absl::FailedPreconditionError(
        absl::StrCat("another fieldsync command is using \"", dir_,
                     "\"; wait for it to finish"));
  }
  return replica;
}

}  // namespace fieldsync::cli
