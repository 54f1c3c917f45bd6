#include "client-sdk/cli/tablet_session.h"

namespace fieldsync::cli {

std::optional<TabletSession> OpenSession(const CliContext& ctx, int& code) {
  TabletHome home(TabletHome::Resolve(ctx.data_dir));
  absl::StatusOr<Login> login = home.LoadLogin();
  if (!login.ok()) {
    code = ReportError(ctx, login.status());
    return std::nullopt;
  }
  auto replica = home.OpenReplica(*login);
  if (!replica.ok()) {
    code = ReportError(ctx, replica.status());
    return std::nullopt;
  }
  TabletSession session{*std::move(login), *std::move(replica), ""};
  session.server = ctx.server_given ? ctx.server : session.login.server;
  return session;
}

absl::StatusOr<client::SyncClientOptions> LinkOptions(
    const CliContext& ctx, const TabletSession& session) {
  TabletHome home(TabletHome::Resolve(ctx.data_dir));
  absl::StatusOr<std::string> secret = home.LoadSecret();
  if (!secret.ok()) return secret.status();
  client::SyncClientOptions options;
  options.target = session.server;
  options.device_id = session.login.device.id();
  options.secret = *secret;
  options.tls = ctx.tls;
  // Small batches and pages: on 2G each answered one is progress kept.
  options.max_batch_bytes = 32 * 1024;
  options.max_page_bytes = 64 * 1024;
  // Short: a link that fails fast is retried by Sync with backoff.
  options.timeout = std::chrono::seconds(20);
  options.max_reconnect_backoff = std::chrono::seconds(5);
  return options;
}

}  // namespace fieldsync::cli
