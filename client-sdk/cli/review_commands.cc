// The reviewers' decisions: `review resolve`, `review report`,
// `admin proposals decide`, `admin years lock`. Each is one AdminService
// call; the server versions, syncs and audits it.
#include <ostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/field_text.h"

namespace fieldsync::cli {
namespace {

// A reviewer logged in on this machine, or --secret-file.
client::AdminClient Reviewer(const CliContext& ctx) {
  return client::AdminClient(ctx.server, SecretOf(ctx),
                             std::chrono::seconds(20), ctx.tls);
}

}  // namespace

int RunReviewResolve(const CliContext& ctx, const ResolveOptions& options) {
  const Language lang = ctx.language;
  uint64_t id = 0;
  if (!absl::SimpleAtoi(options.id, &id) || id == 0) {
    return ReportUsageError(ctx,
                            Format(Msg::kErrNotNumber, lang, "id", options.id));
  }
  const int chosen = int(options.keep) + int(options.take_waiting) +
                     int(!options.values.empty());
  if (chosen != 1) {
    return ReportUsageError(ctx,
                            std::string(Text(Msg::kErrChooseResolution, lang)));
  }
  v1::ResolveConflictRequest request;
  request.set_id(id);
  request.set_comment(options.comment);
  if (options.keep) request.set_resolution(v1::RESOLUTION_KEEP_CURRENT);
  if (options.take_waiting) {
    request.set_resolution(v1::RESOLUTION_TAKE_WAITING);
  }
  if (!options.values.empty()) {
    request.set_resolution(v1::RESOLUTION_NEW_VALUE);
    if (options.key.empty()) {
      return ReportUsageError(ctx, std::string(Text(Msg::kErrNeedKey, lang)));
    }
    for (const std::string& assignment : options.values) {
      const size_t equals = assignment.find('=');
      if (equals == std::string::npos) {
        return ReportUsageError(
            ctx, Format(Msg::kErrBadAssignment, lang, "--value", assignment));
      }
      const std::string path = assignment.substr(0, equals);
      absl::StatusOr<v1::FieldSet> set = client::FieldSetFromText(
          options.key, path, assignment.substr(equals + 1));
      if (!set.ok()) {
        return ReportUsageError(
            ctx, absl::StrCat("--value ", std::string(set.status().message())));
      }
      (*request.mutable_values())[path] = set->value();
    }
  }
  absl::StatusOr<v1::ResolveConflictResponse> resolved =
      Reviewer(ctx).ResolveConflict(request);
  if (!resolved.ok()) return ReportError(ctx, resolved.status());
  if (ctx.json) return PrintJson(ctx, *resolved);
  *ctx.out << Format(Msg::kResolved, lang, id, resolved->conflict().key(),
                     resolved->version())
           << "\n";
  return 0;
}

int RunReviewReport(const CliContext& ctx, const std::string& id, bool accept,
                    const std::string& comment) {
  v1::ReviewReportRequest request;
  request.set_id(id);
  request.set_accept(accept);
  request.set_comment(comment);
  absl::StatusOr<v1::ReviewReportResponse> reviewed =
      Reviewer(ctx).ReviewReport(request);
  if (!reviewed.ok()) return ReportError(ctx, reviewed.status());
  if (ctx.json) return PrintJson(ctx, *reviewed);
  *ctx.out << Format(
                  accept ? Msg::kReportAcceptedNote : Msg::kReportReturnedNote,
                  ctx.language, id)
           << "\n";
  return 0;
}

int RunProposalDecide(const CliContext& ctx, const ProposalOptions& options) {
  const Language lang = ctx.language;
  v1::DecideProposalRequest request;
  request.set_id(options.id);
  request.set_reason(options.reason);
  const int chosen = int(options.forward) + int(!options.approve_as.empty()) +
                     int(options.send_back) + int(!options.merge_into.empty());
  if (chosen != 1) {
    return ReportUsageError(ctx,
                            std::string(Text(Msg::kErrChooseDecision, lang)));
  }
  if (options.forward) request.set_decision(v1::PROPOSAL_DECISION_FORWARD);
  if (options.send_back) request.set_decision(v1::PROPOSAL_DECISION_RETURN);
  if (!options.approve_as.empty()) {
    request.set_decision(v1::PROPOSAL_DECISION_APPROVE);
    request.set_model_id(options.approve_as);
  }
  if (!options.merge_into.empty()) {
    request.set_decision(v1::PROPOSAL_DECISION_MERGE);
    request.set_model_id(options.merge_into);
  }
  absl::StatusOr<v1::DecideProposalResponse> decided =
      Reviewer(ctx).DecideProposal(request);
  if (!decided.ok()) return ReportError(ctx, decided.status());
  if (ctx.json) return PrintJson(ctx, *decided);
  *ctx.out << Format(Msg::kProposalDecided, lang, options.id,
                     v1::ProposalStatus_Name(decided->proposal().status()))
           << "\n";
  return 0;
}

int RunLockYear(const CliContext& ctx, const std::string& year) {
  absl::StatusOr<v1::LockYearResponse> locked = Reviewer(ctx).LockYear(year);
  if (!locked.ok()) return ReportError(ctx, locked.status());
  if (ctx.json) return PrintJson(ctx, *locked);
  *ctx.out << Format(Msg::kYearLocked, ctx.language, year) << "\n";
  return 0;
}

}  // namespace fieldsync::cli
