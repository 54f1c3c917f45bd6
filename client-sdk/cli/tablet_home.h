// The tablet's folder for the collector's commands: who logged in, where
// the server is, the device secret (mode 0600) and the local replica.
// --data-dir, else $FIELDSYNC_HOME, else ~/.fieldsync.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_TABLET_HOME_H_
#define FIELDSYNC_CLIENT_SDK_CLI_TABLET_HOME_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "client-sdk/local_replica.h"
#include "fieldsync/v1/device.pb.h"

namespace fieldsync::cli {

struct Login {
  std::string server;  // HOST:PORT
  v1::Device device;   // id, name, role, area as the server told at login
};

class TabletHome {
 public:
  explicit TabletHome(std::string dir) : dir_(std::move(dir)) {}

  // The folder from the flag, the environment or the home directory.
  static std::string Resolve(const std::string& flag);

  const std::string& dir() const { return dir_; }

  // Writes the login and the secret (0600), with the pin of the server's
  // own certificate unless `server_sha256` is empty (client-sdk/
  // secret_file.h), replacing any earlier login.
  absl::Status Save(const Login& login, const std::string& secret,
                    const std::string& server_sha256 = "") const;

  // The secret file of the logged-in device.
  std::string SecretPath() const;

  // The login; FailedPrecondition if nobody logged in here.
  absl::StatusOr<Login> LoadLogin() const;
  absl::StatusOr<std::string> LoadSecret() const;

  // The local replica of the logged-in device. FailedPrecondition naming the
  // folder when another fieldsync command holds it.
  absl::StatusOr<std::unique_ptr<client::LocalReplica>> OpenReplica(
      const Login& login) const;

 private:
  std::string dir_;
};

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_TABLET_HOME_H_
