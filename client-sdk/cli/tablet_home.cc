#include "client-sdk/cli/tablet_home.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/secret_file.h"
#include "google/protobuf/text_format.h"
#include "sync/private_files.h"

namespace fieldsync::cli {
namespace {

constexpr char kLoginFile[] = "login.txt";
constexpr char kSecretFile[] = "secret";
constexpr char kReplicaDir[] = "replica";

}  // namespace

std::string TabletHome::Resolve(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("FIELDSYNC_HOME"); env && *env) return env;
  const char* home = std::getenv("HOME");
  return absl::StrCat(home != nullptr ? home : ".", "/.fieldsync");
}

absl::Status TabletHome::Save(const Login& login, const std::string& secret,
                              const std::string& server_sha256) const {
  // Owner-only, like the server's data folder: the replica holds reports
  // about people, and the secret is the device's password.
  if (absl::Status s = MakePrivateDir(dir_); !s.ok()) {
    return absl::PermissionDeniedError(s.message());
  }
  absl::Status s = ReplacePrivateFile(
      SecretPath(), client::SecretFileText(secret, server_sha256));
  if (!s.ok()) return s;
  std::string device;
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  printer.PrintToString(login.device, &device);
  return ReplacePrivateFile(
      absl::StrCat(dir_, "/", kLoginFile),
      absl::StrCat("server: ", login.server, "\n---\n", device));
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
