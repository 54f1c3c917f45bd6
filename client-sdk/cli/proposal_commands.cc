// `fieldsync proposal new`: a commune or district proposes a model from the
// tablet, offline like a report; the district forwards it and the province
// decides (`fieldsync admin proposals decide`).
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/tablet_session.h"
#include "sync/field_path.h"
#include "sync/text_fold.h"

namespace fieldsync::cli {
namespace {

// "xa-tan-phu-dong.trong-hoa-kieng-ket-hop-du-lich" from the name.
std::string DefaultProposalId(const std::string& area,
                              const std::string& name) {
  std::string slug(absl::StripAsciiWhitespace(
      FoldForSearch(name, FoldMode::kIgnoreDiacritics)));
  slug = absl::StrReplaceAll(slug, {{" ", "-"}});
  if (slug.size() > 48) slug.resize(48);
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return absl::StrCat(area, ".", slug);
}

}  // namespace

int RunProposalNew(const CliContext& ctx, const ProposalInput& input) {
  const Language lang = ctx.language;
  for (auto [text, option] :
       {std::pair{&input.name, "--name"},
        std::pair{&input.context, "--context"},
        std::pair{&input.results, "--results"}, std::pair{&input.id, "--id"}}) {
    if (!IsValidUtf8(*text)) {
      return ReportUsageError(ctx, Format(Msg::kErrNotUtf8, lang, option));
    }
  }
  int code = 0;
  std::optional<TabletSession> session = OpenSession(ctx, code);
  if (!session) return code;
  const std::string& area = session->login.device.area_id();
  v1::Proposal proposal;
  proposal.set_area_id(area);
  proposal.set_status(v1::PROPOSAL_STATUS_PROPOSED);
  v1::Model& draft = *proposal.mutable_draft();
  draft.set_name(NormalizeNfc(input.name).value_or(input.name));
  if (!input.context.empty()) draft.set_context(input.context);
  if (!input.results.empty()) draft.set_results(input.results);
  if (!input.sector.empty()) draft.set_sector_slug(input.sector);
  std::vector<v1::FieldSet> sets;
  for (const char* path : {"area_id", "status", "draft"}) {
    sets.push_back(FieldSetOf(proposal, path));
  }
  const std::string id =
      input.id.empty() ? DefaultProposalId(area, input.name) : input.id;
  const std::string key = "proposal/" + id;
  absl::StatusOr<std::optional<v1::Document>> existing =
      session->replica->Get(key);
  if (!existing.ok()) return ReportError(ctx, existing.status());
  if (existing->has_value()) {
    return ReportUsageError(ctx, Format(Msg::kErrProposalExists, lang, id));
  }
  absl::StatusOr<v1::Mutation> saved = session->replica->Edit(
      key, std::move(sets), absl::ToUnixMicros(absl::Now()),
      session->login.device.name());
  if (!saved.ok()) {
    ReportUsageError(ctx, std::string(saved.status().message()));
    *ctx.err << Text(Msg::kErrNothingSaved, lang) << "\n";
    return 2;
  }
  if (ctx.json) {
    *ctx.out << "{\"id\": \"" << id << "\"}\n";
    return 0;
  }
  *ctx.out << Format(Msg::kProposalSaved, lang, id) << "\n";
  return 0;
}

}  // namespace fieldsync::cli
