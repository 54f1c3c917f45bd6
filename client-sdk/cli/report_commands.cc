// `fieldsync report new|edit|list|show`: the officer's reports, written to
// the tablet's replica at once and sent on the next sync.
#include <map>
#include <ostream>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/display_width.h"
#include "client-sdk/cli/table.h"
#include "client-sdk/cli/tablet_session.h"
#include "client-sdk/value_text.h"
#include "sync/doc_kind.h"
#include "sync/text_fold.h"

namespace fieldsync::cli {
namespace {

constexpr int kLabelWidth = 22;

std::string ReportKey(const std::string& id) { return "report/" + id; }

std::string_view ReportStatusText(v1::ReportStatus status, Language lang) {
  switch (status) {
    case v1::REPORT_STATUS_UNSPECIFIED:  // new: the server makes it a draft
    case v1::REPORT_STATUS_DRAFT:
      return Text(Msg::kReportDraft, lang);
    case v1::REPORT_STATUS_SUBMITTED:
      return Text(Msg::kReportSubmitted, lang);
    case v1::REPORT_STATUS_ACCEPTED:
      return Text(Msg::kReportAccepted, lang);
    case v1::REPORT_STATUS_RETURNED:
      return Text(Msg::kReportReturned, lang);
    default:
      return "-";
  }
}

std::string IndicatorsText(const v1::Report& report) {
  std::map<std::string, std::string> sorted;
  for (const auto& [code, indicator] : report.indicators()) {
    v1::Document doc;
    *doc.mutable_report() = report;
    sorted[code] = client::DocumentValueText(doc, "indicators/" + code);
  }
  std::vector<std::string> parts;
  for (const auto& [code, text] : sorted) {
    parts.push_back(absl::StrCat(code, "=", text));
  }
  return absl::StrJoin(parts, ", ");
}

// Refuses bad input: the message, then that nothing was saved. Returns 2.
int Refuse(const CliContext& ctx, const absl::Status& status) {
  ReportUsageError(ctx, std::string(status.message()));
  *ctx.err << Text(Msg::kErrNothingSaved, ctx.language) << "\n";
  return 2;
}

// Saves the edit and says so. Returns the exit code.
int Save(const CliContext& ctx, TabletSession& session, const std::string& id,
         std::vector<v1::FieldSet> sets, const std::string& author) {
  const std::string& who =
      author.empty() ? session.login.device.name() : author;
  if (!IsValidUtf8(who)) {
    return Refuse(ctx, absl::InvalidArgumentError(
                           Format(Msg::kErrNotUtf8, ctx.language, "--author")));
  }
  absl::StatusOr<v1::Mutation> saved = session.replica->Edit(
      ReportKey(id), std::move(sets), absl::ToUnixMicros(absl::Now()), who);
  if (!saved.ok()) {
    if (saved.status().code() == absl::StatusCode::kInvalidArgument) {
      return Refuse(ctx, saved.status());
    }
    return ReportError(ctx, saved.status());
  }
  absl::StatusOr<std::vector<v1::Mutation>> outbox = session.replica->Outbox();
  if (ctx.json) {
    *ctx.out << "{\"id\": \"" << id
             << "\", \"mutation_seq\": " << saved->mutation_seq() << "}\n";
    return 0;
  }
  *ctx.out << Format(Msg::kReportSaved, ctx.language, id,
                     outbox.ok() ? outbox->size() : 0)
           << "\n";
  return 0;
}

}  // namespace

int RunReportNew(const CliContext& ctx, const ReportInput& input,
                 const std::string& id_option, const std::string& author) {
  const Language lang = ctx.language;
  int code = 0;
  std::optional<TabletSession> session = OpenSession(ctx, code);
  if (!session) return code;
  if (!IsValidUtf8(input.model)) {
    return Refuse(ctx, absl::InvalidArgumentError(
                           Format(Msg::kErrNotUtf8, lang, "--model")));
  }
  absl::StatusOr<std::optional<v1::Document>> model =
      session->replica->Get("model/" + input.model);
  if (!model.ok()) return ReportError(ctx, model.status());
  if (!model->has_value() || (*model)->deleted()) {
    return Refuse(ctx, absl::InvalidArgumentError(
                           Format(Msg::kErrUnknownModel, lang, input.model)));
  }
  const std::string& area = session->login.device.area_id();
  absl::StatusOr<std::vector<v1::FieldSet>> sets =
      ReportFieldSets(input, /*creating=*/true, area, CurrentDate(), lang);
  if (!sets.ok()) return Refuse(ctx, sets.status());
  const std::string id = id_option.empty()
                             ? DefaultReportId(area, input.model, input.period)
                             : id_option;
  if (!IsValidUtf8(id) || !ParseDocKey(ReportKey(id)).ok()) {
    return Refuse(
        ctx, absl::InvalidArgumentError(Format(Msg::kErrBadChoice, lang, "--id",
                                               id, "a-z, 0-9, '-', '.', '_'")));
  }
  absl::StatusOr<std::optional<v1::Document>> existing =
      session->replica->Get(ReportKey(id));
  if (!existing.ok()) return ReportError(ctx, existing.status());
  if (existing->has_value()) {
    return Refuse(
        ctx, absl::AlreadyExistsError(Format(Msg::kErrReportExists, lang, id)));
  }
  return Save(ctx, *session, id, *std::move(sets), author);
}

int RunReportEdit(const CliContext& ctx, const std::string& id,
                  const ReportInput& input, const std::string& author) {
  int code = 0;
  std::optional<TabletSession> session = OpenSession(ctx, code);
  if (!session) return code;
  absl::StatusOr<std::optional<v1::Document>> existing =
      session->replica->Get(ReportKey(id));
  if (!existing.ok() || !existing->has_value()) {
    return Refuse(
        ctx, absl::NotFoundError(Format(Msg::kErrNoReport, ctx.language, id)));
  }
  absl::StatusOr<std::vector<v1::FieldSet>> sets = ReportFieldSets(
      input, /*creating=*/false, "", CurrentDate(), ctx.language);
  if (!sets.ok()) return Refuse(ctx, sets.status());
  return Save(ctx, *session, id, *std::move(sets), author);
}

int RunReportList(const CliContext& ctx, const ReportListOptions& options) {
  int code = 0;
  std::optional<TabletSession> session = OpenSession(ctx, code);
  if (!session) return code;
  absl::StatusOr<std::vector<v1::Document>> reports =
      session->replica->ListReports(
          {.model_id = options.model, .period = options.period});
  if (!reports.ok()) return ReportError(ctx, reports.status());
  if (ctx.json) {
    std::vector<const google::protobuf::Message*> items;
    for (const v1::Document& d : *reports) items.push_back(&d);
    return PrintJsonArray(ctx, items);
  }
  std::set<std::string> waiting;
  if (auto outbox = session->replica->Outbox(); outbox.ok()) {
    for (const v1::Mutation& m : *outbox) waiting.insert(m.key());
  }
  const Language lang = ctx.language;
  Table table({std::string(Text(Msg::kColId, lang)),
               std::string(Text(Msg::kColModel, lang)),
               std::string(Text(Msg::kColPeriod, lang)),
               std::string(Text(Msg::kColStatus, lang)),
               std::string(Text(Msg::kColPending, lang)),
               std::string(Text(Msg::kColIndicators, lang))});
  for (const v1::Document& d : *reports) {
    const v1::Report& r = d.report();
    table.AddRow(
        {d.key().substr(std::string_view("report/").size()), r.model_id(),
         r.period(), std::string(ReportStatusText(r.status(), lang)),
         waiting.contains(d.key()) ? std::string(Text(Msg::kYes, lang)) : "",
         IndicatorsText(r)});
  }
  *ctx.out << table.Render(TerminalWidth())
           << Format(Msg::kReportsCount, lang, reports->size()) << "\n";
  return 0;
}

int RunReportShow(const CliContext& ctx, const std::string& id) {
  int code = 0;
  std::optional<TabletSession> session = OpenSession(ctx, code);
  if (!session) return code;
  absl::StatusOr<std::optional<v1::Document>> doc =
      session->replica->Get(ReportKey(id));
  if (!doc.ok()) return ReportError(ctx, doc.status());
  if (!doc->has_value()) {
    return ReportUsageError(ctx, Format(Msg::kErrNoReport, ctx.language, id));
  }
  if (ctx.json) return PrintJson(ctx, **doc);
  const Language lang = ctx.language;
  const v1::Report& r = (*doc)->report();
  std::string model_name;
  if (auto model = session->replica->Get("model/" + r.model_id());
      model.ok() && model->has_value()) {
    model_name = (*model)->model().name();
  }
  bool waiting = false;
  if (auto outbox = session->replica->Outbox(); outbox.ok()) {
    for (const v1::Mutation& m : *outbox) waiting |= m.key() == (*doc)->key();
  }
  auto line = [&](Msg label, const std::string& value) {
    if (value.empty()) return;
    *ctx.out << PadToWidth(Text(label, lang), kLabelWidth) << value << "\n";
  };
  line(Msg::kColId, id);
  line(Msg::kFieldReportModel,
       model_name.empty() ? r.model_id()
                          : absl::StrCat(r.model_id(), " — ", model_name));
  line(Msg::kFieldArea, r.area_id());
  line(Msg::kFieldPeriod, r.period());
  line(Msg::kFieldStatus, std::string(ReportStatusText(r.status(), lang)));
  line(Msg::kFieldIndicators, IndicatorsText(r));
  line(Msg::kFieldResults, r.results());
  line(Msg::kFieldDifficulties, r.difficulties());
  line(Msg::kFieldProposals, r.proposals());
  line(Msg::kFieldReviewComment, r.review_comment());
  line(Msg::kFieldVersion, absl::StrCat((*doc)->version()));
  if (waiting) line(Msg::kFieldPending, std::string(Text(Msg::kYes, lang)));
  return 0;
}

}  // namespace fieldsync::cli
