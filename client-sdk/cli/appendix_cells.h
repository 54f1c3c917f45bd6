// What the CSV and HTML renderings of an appendix export share: the
// columns each kind of table prints, their headers as the province's report
// prints them, and the text of each cell. The exported document is in
// Vietnamese whatever the locale: it reproduces the report, whose titles
// and sections are Vietnamese data.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_APPENDIX_CELLS_H_
#define FIELDSYNC_CLIENT_SDK_CLI_APPENDIX_CELLS_H_

#include <string>
#include <vector>

#include "client-sdk/cli/messages.h"
#include "fieldsync/v1/monitoring_service.pb.h"

namespace fieldsync::cli {

// The language of the exported document.
inline constexpr Language kDocumentLanguage = Language::kVietnamese;

enum class AppendixColumn {
  kStt,
  kName,
  kImplementer,
  kContext,
  kResults,
  kIssues,
  kPlan,
  kRecommendation,
  kFigures,
};

// The columns of a table of `kind`: number, name and implementing unit,
// the five detailed columns for a detailed table, the year's figures last.
std::vector<AppendixColumn> ColumnsOf(v1::AppendixKind kind);

// Every column, in order: what a CSV holding all tables prints.
std::vector<AppendixColumn> AllColumns();

// The header of `column`; the figures column names `year`.
std::string ColumnHeader(AppendixColumn column, int year);

// The cell of `row` in `column`; "" for an empty cell. Lines inside a cell
// are kept as '\n'.
std::string CellText(const v1::AppendixRow& row, AppendixColumn column);

// The heading lines of `table`: as printed, "PHỤ LỤC V" where the report
// prints none, or the title of the table of models added since.
std::vector<std::string> TitleLines(const v1::AppendixTable& table);

// The title of section `roman` of `table` ("" when unknown).
std::string SectionTitle(const v1::AppendixTable& table,
                         const std::string& roman);

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_APPENDIX_CELLS_H_
