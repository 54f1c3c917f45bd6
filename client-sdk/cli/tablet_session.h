// What the collector's commands open first: the tablet's folder, who is
// logged in, and the local replica; the link to the server when syncing.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_TABLET_SESSION_H_
#define FIELDSYNC_CLIENT_SDK_CLI_TABLET_SESSION_H_

#include <memory>
#include <optional>
#include <string>

#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/tablet_home.h"
#include "client-sdk/sync_client.h"

namespace fieldsync::cli {

struct TabletSession {
  Login login;
  std::unique_ptr<client::LocalReplica> replica;
  // --server if given, else the server of the login.
  std::string server;
};

// The session, or nullopt after printing why not and setting `code`.
std::optional<TabletSession> OpenSession(const CliContext& ctx, int& code);

// The link options for `session`'s device: its secret from the folder.
absl::StatusOr<client::SyncClientOptions> LinkOptions(
    const CliContext& ctx, const TabletSession& session);

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_TABLET_SESSION_H_
