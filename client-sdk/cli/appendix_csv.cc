#include "client-sdk/cli/appendix_csv.h"

#include <map>
#include <vector>

#include "absl/strings/str_replace.h"
#include "client-sdk/cli/appendix_cells.h"

namespace fieldsync::cli {
namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr char kLineEnd[] = "\r\n";

// A quoted field. A line break inside a cell stays a bare '\n', as Excel
// writes one (Alt+Enter); only records end in CRLF.
std::string Field(const std::string& text) {
  return "\"" + absl::StrReplaceAll(text, {{"\"", "\"\""}}) + "\"";
}

void AppendLine(std::string& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += Field(fields[i]);
  }
  out += kLineEnd;
}

}  // namespace

std::string AppendixCsv(const v1::ExportAppendixResponse& appendix) {
  const Language lang = kDocumentLanguage;
  const std::vector<AppendixColumn> columns = AllColumns();
  std::vector<std::string> header = {
      std::string(Text(Msg::kApxColAppendix, lang)),
      std::string(Text(Msg::kApxColSection, lang)),
      std::string(Text(Msg::kApxColSectionTitle, lang))};
  for (AppendixColumn column : columns) {
    header.push_back(ColumnHeader(column, appendix.year()));
  }
  header.push_back(std::string(Text(Msg::kApxColModelId, lang)));

  std::map<std::string, const v1::AppendixTable*> tables;
  for (const v1::AppendixTable& table : appendix.tables()) {
    tables[table.appendix()] = &table;
  }
  std::string out = kBom;
  AppendLine(out, header);
  for (const v1::AppendixRow& row : appendix.rows()) {
    auto table = tables.find(row.appendix());
    std::vector<std::string> fields = {
        row.appendix(), row.section(),
        table == tables.end() ? ""
                              : SectionTitle(*table->second, row.section())};
    for (AppendixColumn column : columns) {
      fields.push_back(CellText(row, column));
    }
    fields.push_back(row.model_id());
    AppendLine(out, fields);
  }
  return out;
}

}  // namespace fieldsync::cli
