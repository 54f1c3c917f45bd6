// `fieldsync totals`: an area's totals for a period, grouped one level down
// on request, from the server's live aggregates.
#include <cmath>
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/number_text.h"
#include "client-sdk/cli/table.h"
#include "client-sdk/monitoring_client.h"

namespace fieldsync::cli {
namespace {

// The groupings `--by` takes. "commune", "district" and "area" all mean the
// areas one level below the asked one: a province drills into districts.
absl::StatusOr<v1::TotalsGrouping> ParseBy(const CliContext& ctx,
                                           const std::string& by) {
  if (by.empty() || by == "indicator") return v1::TOTALS_GROUPING_UNSPECIFIED;
  if (by == "commune" || by == "district" || by == "area") {
    return v1::TOTALS_GROUPING_AREA;
  }
  if (by == "sector") return v1::TOTALS_GROUPING_SECTOR;
  if (by == "model") return v1::TOTALS_GROUPING_MODEL;
  return absl::InvalidArgumentError(
      Format(Msg::kErrBadChoice, ctx.language, "--by", by,
             "commune, sector, model, indicator"));
}

std::string Count(const v1::IndicatorSummary& s) {
  return s.reports() == 0 ? "" : absl::StrCat(s.reports());
}

// Min–max over the accepted and submitted reports together.
std::string Range(const v1::TotalsRow& row, Language lang) {
  double lo = INFINITY, hi = -INFINITY;
  for (const v1::IndicatorSummary* s : {&row.accepted(), &row.submitted()}) {
    if (s->reports() == 0) continue;
    lo = std::min(lo, s->min());
    hi = std::max(hi, s->max());
  }
  if (lo > hi) return "";
  return lo == hi ? Number(lo, lang)
                  : absl::StrCat(Number(lo, lang), "–", Number(hi, lang));
}

Msg GroupHeader(v1::TotalsGrouping by) {
  switch (by) {
    case v1::TOTALS_GROUPING_AREA:
      return Msg::kColArea;
    case v1::TOTALS_GROUPING_SECTOR:
      return Msg::kColSector;
    default:
      return Msg::kColModel;
  }
}

}  // namespace

int RunTotals(const CliContext& ctx, const TotalsOptions& options) {
  const Language lang = ctx.language;
  absl::StatusOr<v1::TotalsGrouping> by = ParseBy(ctx, options.by);
  if (!by.ok())
    return ReportUsageError(ctx, std::string(by.status().message()));
  v1::GetTotalsRequest request;
  request.set_area_id(options.area);
  request.set_period(options.period);
  request.set_by(*by);
  request.set_model_id(options.model);
  request.set_indicator(options.indicator);
  request.set_as_of(options.as_of);
  client::MonitoringClient client(ctx.server, SecretOf(ctx),
                                  std::chrono::seconds(30), ctx.tls);
  absl::StatusOr<v1::GetTotalsResponse> totals = client.GetAllTotals(request);
  if (!totals.ok()) return ReportError(ctx, totals.status());
  if (ctx.json) return PrintJson(ctx, *totals);

  *ctx.out << Format(Msg::kTotalsHeader, lang, totals->area_name(),
                     options.area, options.period, totals->as_of())
           << "\n";
  if (totals->rows().empty()) {
    *ctx.out << Format(Msg::kNoTotals, lang, totals->area_name(),
                       options.period)
             << "\n";
    return 0;
  }
  const bool grouped = *by != v1::TOTALS_GROUPING_UNSPECIFIED;
  std::vector<std::string> headers;
  if (grouped) headers.push_back(std::string(Text(GroupHeader(*by), lang)));
  for (Msg m : {Msg::kColIndicator, Msg::kColUnit, Msg::kColAccepted,
                Msg::kColAcceptedTotal, Msg::kColSubmitted,
                Msg::kColSubmittedTotal, Msg::kColRange}) {
    headers.push_back(std::string(Text(m, lang)));
  }
  // The group's name goes last: the one column that may be cut.
  if (grouped) headers.push_back(std::string(Text(Msg::kColName, lang)));
  Table table(std::move(headers));
  for (const v1::TotalsRow& row : totals->rows()) {
    std::vector<std::string> cells;
    if (grouped) cells.push_back(row.group_id().empty() ? "–" : row.group_id());
    cells.insert(cells.end(),
                 {row.indicator(), row.unit(), Count(row.accepted()),
                  SummaryTotal(row.accepted(), lang), Count(row.submitted()),
                  SummaryTotal(row.submitted(), lang), Range(row, lang)});
    if (grouped) cells.push_back(row.group_name());
    table.AddRow(std::move(cells));
  }
  *ctx.out << table.Render(TerminalWidth());
  *ctx.out << Format(Msg::kTotalsRows, lang, totals->rows_size()) << "\n"
           << Text(Msg::kTotalsNote, lang) << "\n";
  return 0;
}

}  // namespace fieldsync::cli
