// The CLI's read commands. Each returns the process exit code: 0 on success,
// 1 when the server refused or could not be reached, 2 for a bad option.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_COMMANDS_H_
#define FIELDSYNC_CLIENT_SDK_CLI_COMMANDS_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "client-sdk/channel.h"
#include "client-sdk/cli/messages.h"
#include "client-sdk/cli/report_input.h"
#include "google/protobuf/message.h"

namespace fieldsync::cli {

// What every command needs: where to talk, how to print.
struct CliContext {
  Language language = Language::kEnglish;
  std::string server;
  bool json = false;
  // --secret-file, or FIELDSYNC_SECRET_FILE.
  std::string secret_file;
  // --tls-ca (or FIELDSYNC_TLS_CA), --tls-cert, --tls-key.
  client::TlsFiles tls;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // The tablet's folder (--data-dir; see tablet_home.h), and whether
  // --server was given (else the tablet talks to the server it logged in to).
  std::string data_dir;
  bool server_given = false;
  // A device is logged in in the tablet's folder: its secret is used when
  // no --secret-file is given.
  bool logged_in = false;
};

struct ModelsListOptions {
  std::string level;
  std::string area;
  std::string sector;
  std::string status;
  std::string search;
  bool match_diacritics = false;
};

int RunModelsList(const CliContext& ctx, const ModelsListOptions& options);
int RunModelsShow(const CliContext& ctx, const std::string& id);

struct AreasOptions {
  std::string root;
  std::string as_of;
};

int RunAreas(const CliContext& ctx, const AreasOptions& options);

// `fieldsync admin areas apply-changes FILE.csv [--dry-run]`.
int RunAreasApplyChanges(const CliContext& ctx, const std::string& file,
                         bool dry_run);

struct AreaAddOptions {
  std::string id;
  std::string name;
  std::string level;
  std::string parent;
  std::string valid_from;
  std::string source;
  bool dry_run = false;
};

// `fieldsync admin areas add --id … --name … --level … --parent … --from …`.
int RunAreasAdd(const CliContext& ctx, const AreaAddOptions& options);

struct TotalsOptions {
  std::string area;
  std::string period;
  std::string by;
  std::string model;
  std::string indicator;
  std::string as_of;
};

int RunTotals(const CliContext& ctx, const TotalsOptions& options);

struct CompletenessOptions {
  std::string model;
  std::string period;
  std::string area;
  std::string as_of;
};

int RunCompleteness(const CliContext& ctx, const CompletenessOptions& options);
int RunOverview(const CliContext& ctx, const std::string& as_of);

// `fieldsync admin export appendix` (appendix_command.cc).
struct ExportAppendixOptions {
  std::string year;
  std::string format;
  std::string out;
  std::string area;
};
int RunExportAppendix(const CliContext& ctx,
                      const ExportAppendixOptions& options);
int RunSectors(const CliContext& ctx);
int RunHealth(const CliContext& ctx);

struct EnrollOptions {
  std::string role;
  std::string area;
  std::string name;
};

int RunDevicesEnroll(const CliContext& ctx, const EnrollOptions& options);
int RunDevicesList(const CliContext& ctx);
int RunDevicesRevoke(const CliContext& ctx, const std::string& id);
int RunDevicesRotate(const CliContext& ctx, const std::string& id);

// `fieldsync admin audit`: every page of the audit trail that matches.
struct AuditOptions {
  std::string device;
  std::string area;
  std::string action;
  std::string since;  // YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC
  std::string until;
};
int RunAudit(const CliContext& ctx, const AuditOptions& options);

// The collector's commands, on the tablet's local replica.
struct LoginOptions {
  std::string secret;
};
int RunLogin(const CliContext& ctx, const LoginOptions& options);

struct SyncCommandOptions {
  int max_attempts = 6;
};
int RunSync(const CliContext& ctx, const SyncCommandOptions& options);
int RunOutbox(const CliContext& ctx);
int RunConflicts(const CliContext& ctx);
int RunReviewList(const CliContext& ctx, const std::string& key);

int RunReportNew(const CliContext& ctx, const ReportInput& input,
                 const std::string& id, const std::string& author);
int RunReportEdit(const CliContext& ctx, const std::string& id,
                  const ReportInput& input, const std::string& author);
struct ReportListOptions {
  std::string model;
  std::string period;
};
int RunReportList(const CliContext& ctx, const ReportListOptions& options);
int RunReportShow(const CliContext& ctx, const std::string& id);

// `fieldsync admin models …`.
int RunModelsHistory(const CliContext& ctx, const std::string& id);
int RunModelsUpdate(const CliContext& ctx, const std::string& id,
                    const std::vector<std::string>& assignments);
int RunModelsArchive(const CliContext& ctx, const std::string& id,
                     const std::string& reason);
int RunModelsRestore(const CliContext& ctx, const std::string& id);
// `fieldsync admin assign`: the areas expected to report on a model
// (`areas` comma-separated); `clear` goes back to the catalogue's rule.
int RunAssignModelAreas(const CliContext& ctx, const std::string& model,
                        const std::string& areas, bool clear);

// The reviewers' decisions (review_commands.cc).
struct ResolveOptions {
  std::string id;
  bool keep = false;
  bool take_waiting = false;
  std::vector<std::string> values;  // FIELD=VALUE
  std::string key;                  // the item's document, for --value
  std::string comment;
};
int RunReviewResolve(const CliContext& ctx, const ResolveOptions& options);
int RunReviewReport(const CliContext& ctx, const std::string& id, bool accept,
                    const std::string& comment);
struct ProposalOptions {
  std::string id;
  bool forward = false;
  std::string approve_as;
  bool send_back = false;
  std::string merge_into;
  std::string reason;
};
int RunProposalDecide(const CliContext& ctx, const ProposalOptions& options);
int RunLockYear(const CliContext& ctx, const std::string& year);
// `admin backup --to DIR` (backup_command.cc).
int RunBackup(const CliContext& ctx, const std::string& to);

struct ProposalInput {
  std::string id;
  std::string name;
  std::string context;
  std::string results;
  std::string sector;
};
int RunProposalNew(const CliContext& ctx, const ProposalInput& input);

// The secret from ctx.secret_file, or "" when none is configured (the
// server then answers UNAUTHENTICATED and ReportError explains).
std::string SecretOf(const CliContext& ctx);

// Prints `message` as JSON (proto field names) to ctx.out. Returns 0.
int PrintJson(const CliContext& ctx, const google::protobuf::Message& message);

// Prints `messages` as one JSON array to ctx.out. Returns 0.
int PrintJsonArray(const CliContext& ctx,
                   const std::vector<const google::protobuf::Message*>& items);

// Prints `status` for a person: the server's field violations one per line,
// or a hint when the server cannot be reached. Returns 1.
int ReportError(const CliContext& ctx, const absl::Status& status);

// Prints a localized usage error. Returns 2.
int ReportUsageError(const CliContext& ctx, const std::string& message);

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_COMMANDS_H_
