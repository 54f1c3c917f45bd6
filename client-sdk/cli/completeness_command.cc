// `fieldsync completeness`: for a model and period, which areas expected to
// report have a report in each status, which have none, and which reported
// without being expected, from the server's live aggregates.
#include <ostream>

#include "absl/strings/str_cat.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/table.h"
#include "client-sdk/monitoring_client.h"

namespace fieldsync::cli {
namespace {

// A count, or "" for none, so the eye finds the figures.
std::string Count(int32_t n) { return n == 0 ? "" : absl::StrCat(n); }

std::vector<std::string> Headers(Language lang) {
  std::vector<std::string> headers;
  for (Msg m :
       {Msg::kColArea, Msg::kColReportsDraft, Msg::kColReportsSubmitted,
        Msg::kColReportsAccepted, Msg::kColReportsReturned, Msg::kColName}) {
    headers.push_back(std::string(Text(m, lang)));
  }
  return headers;
}

void AddRow(Table& table, const v1::CompletenessRow& row, Language lang) {
  const v1::ReportStatusCounts& c = row.reports();
  // An expected area with no report says so where the counts would be.
  table.AddRow({row.area_id(),
                row.none() ? std::string(Text(Msg::kCompletenessNone, lang))
                           : Count(c.draft()),
                Count(c.submitted()), Count(c.accepted()), Count(c.returned()),
                row.area_name()});
}

}  // namespace

int RunCompleteness(const CliContext& ctx, const CompletenessOptions& options) {
  const Language lang = ctx.language;
  v1::GetCompletenessRequest request;
  request.set_model_id(options.model);
  request.set_period(options.period);
  request.set_area_id(options.area);
  request.set_as_of(options.as_of);
  client::MonitoringClient client(ctx.server, SecretOf(ctx),
                                  std::chrono::seconds(30), ctx.tls);
  absl::StatusOr<v1::GetCompletenessResponse> answer =
      client.GetAllCompleteness(request);
  if (!answer.ok()) return ReportError(ctx, answer.status());
  if (ctx.json) return PrintJson(ctx, *answer);

  const v1::CompletenessSummary& s = answer->summary();
  *ctx.out << Format(Msg::kCompletenessHeader, lang, answer->model_name(),
                     options.model, options.period, answer->as_of())
           << "\n"
           << Format(
                  Msg::kCompletenessWithin, lang,
                  answer->area_name().empty()
                      ? std::string(Text(Msg::kCompletenessEverywhere, lang))
                      : answer->area_name(),
                  Text(answer->source() == v1::EXPECTED_AREAS_SOURCE_ASSIGNMENT
                           ? Msg::kCompletenessByAssignment
                           : Msg::kCompletenessByCatalogue,
                       lang))
           << "\n"
           << Format(Msg::kCompletenessSummary, lang, s.expected_areas(),
                     s.reporting_areas(), s.missing_areas(),
                     s.unexpected_areas())
           << "\n";
  Table expected(Headers(lang));
  Table unexpected(Headers(lang));
  for (const v1::CompletenessRow& row : answer->rows()) {
    AddRow(row.expected() ? expected : unexpected, row, lang);
  }
  if (expected.row_count() > 0) {
    *ctx.out << "\n"
             << Text(Msg::kCompletenessExpected, lang) << "\n"
             << expected.Render(TerminalWidth());
  }
  if (unexpected.row_count() > 0) {
    *ctx.out << "\n"
             << Text(Msg::kCompletenessUnexpected, lang) << "\n"
             << unexpected.Render(TerminalWidth());
  }
  *ctx.out << "\n" << Text(Msg::kCompletenessNote, lang) << "\n";
  return 0;
}

}  // namespace fieldsync::cli
