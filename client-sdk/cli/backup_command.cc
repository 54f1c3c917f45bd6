// `fieldsync admin backup --to DIR`: one AdminService.Backup call. The copy
// is made and checked on the server's machine; this prints what it holds.
#include <ostream>

#include "absl/strings/str_cat.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/table.h"

namespace fieldsync::cli {
namespace {

// A backup of a large database takes minutes: copying is bounded by the
// disk, not by the network, so the call may wait that long.
constexpr auto kBackupTimeout = std::chrono::hours(2);

}  // namespace

int RunBackup(const CliContext& ctx, const std::string& to) {
  const Language lang = ctx.language;
  v1::BackupRequest request;
  request.set_target_dir(to);
  client::AdminClient admin(ctx.server, SecretOf(ctx), kBackupTimeout, ctx.tls);
  absl::StatusOr<v1::BackupResponse> made = admin.Backup(request);
  if (!made.ok()) return ReportError(ctx, made.status());
  if (ctx.json) return PrintJson(ctx, *made);
  Table table({std::string(Text(Msg::kColFolder, lang)),
               std::string(Text(Msg::kColDocuments, lang)),
               std::string(Text(Msg::kColBytes, lang)),
               std::string(Text(Msg::kColLastSequence, lang)),
               std::string(Text(Msg::kColMillis, lang))});
  table.AddRow({made->target_dir(), absl::StrCat(made->documents()),
                absl::StrCat(made->bytes()),
                absl::StrCat(made->last_sequence()),
                absl::StrCat(made->duration_millis())});
  *ctx.out << table.Render(TerminalWidth());
  *ctx.out << Format(Msg::kBackupDone, lang, made->last_sequence()) << "\n";
  return 0;
}

}  // namespace fieldsync::cli
