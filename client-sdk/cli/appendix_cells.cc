#include "client-sdk/cli/appendix_cells.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client-sdk/cli/number_text.h"

namespace fieldsync::cli {
namespace {

constexpr Language kLang = kDocumentLanguage;

// One status's figure: "274 hội viên (đã duyệt, 6 báo cáo)"; "" when no
// report gave one.
std::string StatusFigure(const v1::IndicatorSummary& s, const std::string& unit,
                         Msg status) {
  if (s.reports() == 0) return "";
  return absl::StrCat(SummaryTotal(s, kLang), unit.empty() ? "" : " ", unit,
                      " (", std::string(Text(status, kLang)), ", ",
                      Format(Msg::kApxReports, kLang, s.reports()), ")");
}

// One line per indicator: "members: 274 hội viên (đã duyệt, 6 báo cáo);
// 40 hội viên (chờ duyệt, 1 báo cáo)".
std::string FiguresText(const v1::AppendixRow& row) {
  std::vector<std::string> lines;
  for (const v1::AppendixFigure& f : row.figures()) {
    std::vector<std::string> parts;
    for (std::string part :
         {StatusFigure(f.accepted(), f.unit(), Msg::kApxAccepted),
          StatusFigure(f.submitted(), f.unit(), Msg::kApxSubmitted)}) {
      if (!part.empty()) parts.push_back(std::move(part));
    }
    if (parts.empty()) continue;
    lines.push_back(
        absl::StrCat(f.indicator(), ": ", absl::StrJoin(parts, "; ")));
  }
  return absl::StrJoin(lines, "\n");
}

}  // namespace

std::vector<AppendixColumn> ColumnsOf(v1::AppendixKind kind) {
  if (kind == v1::APPENDIX_KIND_SUMMARY) {
    return {AppendixColumn::kStt, AppendixColumn::kName,
            AppendixColumn::kImplementer, AppendixColumn::kFigures};
  }
  return AllColumns();
}

std::vector<AppendixColumn> AllColumns() {
  return {AppendixColumn::kStt,         AppendixColumn::kName,
          AppendixColumn::kImplementer, AppendixColumn::kContext,
          AppendixColumn::kResults,     AppendixColumn::kIssues,
          AppendixColumn::kPlan,        AppendixColumn::kRecommendation,
          AppendixColumn::kFigures};
}

std::string ColumnHeader(AppendixColumn column, int year) {
  switch (column) {
    case AppendixColumn::kStt:
      return std::string(Text(Msg::kApxColStt, kLang));
    case AppendixColumn::kName:
      return std::string(Text(Msg::kApxColName, kLang));
    case AppendixColumn::kImplementer:
      return std::string(Text(Msg::kApxColImplementer, kLang));
    case AppendixColumn::kContext:
      return std::string(Text(Msg::kApxColContext, kLang));
    case AppendixColumn::kResults:
      return std::string(Text(Msg::kApxColResults, kLang));
    case AppendixColumn::kIssues:
      return std::string(Text(Msg::kApxColIssues, kLang));
    case AppendixColumn::kPlan:
      return std::string(Text(Msg::kApxColPlan, kLang));
    case AppendixColumn::kRecommendation:
      return std::string(Text(Msg::kApxColRecommendation, kLang));
    case AppendixColumn::kFigures:
      return Format(Msg::kApxColFigures, kLang, year);
  }
  return "";
}

std::string CellText(const v1::AppendixRow& row, AppendixColumn column) {
  switch (column) {
    case AppendixColumn::kStt:
      return row.stt();
    case AppendixColumn::kName:
      return row.name();
    case AppendixColumn::kImplementer:
      return row.implementer();
    case AppendixColumn::kContext:
      return row.context();
    case AppendixColumn::kResults:
      return row.results();
    case AppendixColumn::kIssues:
      return row.issues();
    case AppendixColumn::kPlan:
      return row.plan_2021_2025();
    case AppendixColumn::kRecommendation:
      return row.recommendation();
    case AppendixColumn::kFigures:
      return FiguresText(row);
  }
  return "";
}

std::vector<std::string> TitleLines(const v1::AppendixTable& table) {
  if (table.appendix().empty()) {
    return {std::string(Text(Msg::kApxUnprinted, kLang))};
  }
  if (table.title_lines().empty()) {
    return {Format(Msg::kApxHeading, kLang, table.appendix())};
  }
  return {table.title_lines().begin(), table.title_lines().end()};
}

std::string SectionTitle(const v1::AppendixTable& table,
                         const std::string& roman) {
  for (const v1::AppendixSection& section : table.sections()) {
    if (section.roman() == roman) return section.title();
  }
  return "";
}

}  // namespace fieldsync::cli
