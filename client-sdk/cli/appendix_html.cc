#include "client-sdk/cli/appendix_html.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client-sdk/cli/appendix_cells.h"

namespace fieldsync::cli {
namespace {

// On screen: the tables at reading size. In print: A4 landscape, smaller
// type, a table starting on a new page, rows never split across pages when
// they fit on one.
constexpr char kStyle[] = R"css(
body { font-family: "Times New Roman", "DejaVu Serif", serif; font-size: 11pt;
       margin: 1.5em; color: #000; }
h1 { font-size: 14pt; text-align: center; margin: 0 0 .2em; }
p.note { text-align: center; font-style: italic; margin: 0 0 1.5em; }
section.appendix { margin-bottom: 2em; }
.heading { text-align: center; font-weight: bold; margin-bottom: .6em;
           line-height: 1.45; }
.heading div:first-child { font-size: 13pt; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #000; padding: 3pt 4pt; vertical-align: top;
         text-align: left; overflow-wrap: anywhere; }
th { text-align: center; background: #e8e8e8; }
thead { display: table-header-group; }
td.stt { text-align: center; }
tr.section td { font-weight: bold; background: #f3f3f3; }
.archived { font-style: italic; color: #555; }
td { line-height: 1.35; }
td.sub { padding-left: 1.2em; }
col.stt { width: 3.2em; }
table.summary col.name { width: 46%; }
table.summary col.figures { width: 18%; }
table.detailed col.name { width: 13%; }
table.detailed col.figures { width: 10%; }
)css";

constexpr char kPrintStyle[] = R"css(
@page { size: A4 landscape; margin: 12mm 10mm; }
body { margin: 0; font-size: 8.5pt; }
h1 { font-size: 12pt; }
section.appendix { break-before: page; margin: 0; }
section.appendix:first-of-type { break-before: auto; }
tr { break-inside: avoid; }
th { background: #e8e8e8; -webkit-print-color-adjust: exact;
     print-color-adjust: exact; }
)css";

const char* ColumnClass(AppendixColumn column) {
  switch (column) {
    case AppendixColumn::kStt:
      return "stt";
    case AppendixColumn::kName:
      return "name";
    case AppendixColumn::kFigures:
      return "figures";
    default:
      return "text";
  }
}

void AppendTable(std::string& out, const v1::AppendixTable& table,
                 const v1::ExportAppendixResponse& appendix) {
  const std::vector<AppendixColumn> columns = ColumnsOf(table.kind());
  const std::string id =
      table.appendix().empty() ? "bo-sung" : "phu-luc-" + table.appendix();
  absl::StrAppend(&out, "<section class=\"appendix\" id=\"", HtmlText(id),
                  "\">\n<div class=\"heading\">");
  for (const std::string& line : TitleLines(table)) {
    absl::StrAppend(&out, "<div>", HtmlText(line), "</div>");
  }
  absl::StrAppend(
      &out, "</div>\n<table class=\"",
      table.kind() == v1::APPENDIX_KIND_SUMMARY ? "summary" : "detailed",
      "\">\n<colgroup>");
  for (AppendixColumn column : columns) {
    absl::StrAppend(&out, "<col class=\"", ColumnClass(column), "\">");
  }
  out += "</colgroup>\n<thead><tr>";
  for (AppendixColumn column : columns) {
    absl::StrAppend(&out, "<th>",
                    HtmlText(ColumnHeader(column, appendix.year())), "</th>");
  }
  out += "</tr></thead>\n<tbody>\n";
  std::string section = "\x01";  // no section yet
  for (const v1::AppendixRow& row : appendix.rows()) {
    if (row.appendix() != table.appendix()) continue;
    if (row.section() != section) {
      section = row.section();
      absl::StrAppend(&out, "<tr class=\"section\"><td class=\"stt\">",
                      HtmlText(section), "</td><td colspan=\"",
                      columns.size() - 1, "\">",
                      HtmlText(SectionTitle(table, section)), "</td></tr>\n");
    }
    absl::StrAppend(&out, "<tr data-model=\"", HtmlText(row.model_id()), "\">");
    for (AppendixColumn column : columns) {
      const bool sub = column == AppendixColumn::kName &&
                       row.kind() == v1::MODEL_KIND_SUB_MODEL;
      absl::StrAppend(&out, "<td class=\"", ColumnClass(column),
                      sub ? " sub" : "", "\">",
                      HtmlText(CellText(row, column)));
      if (column == AppendixColumn::kName &&
          row.status() == v1::MODEL_STATUS_ARCHIVED) {
        absl::StrAppend(
            &out, " <span class=\"archived\">",
            HtmlText(std::string(Text(Msg::kApxArchived, kDocumentLanguage))),
            "</span>");
      }
      out += "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</section>\n";
}

}  // namespace

std::string HtmlText(const std::string& text) {
  return absl::StrReplaceAll(text, {{"&", "&amp;"},
                                    {"<", "&lt;"},
                                    {">", "&gt;"},
                                    {"\"", "&quot;"},
                                    {"'", "&#39;"},
                                    {"\r\n", "<br>"},
                                    {"\n", "<br>"}});
}

std::string AppendixHtml(const v1::ExportAppendixResponse& appendix) {
  const std::string title = Format(Msg::kApxDocTitle, kDocumentLanguage,
                                   appendix.area_name(), appendix.year());
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>",
      HtmlText(title), "</title>\n<style>", kStyle,
      "</style>\n<style media=\"print\">", kPrintStyle,
      "</style>\n</head>\n<body>\n<h1>", HtmlText(title),
      "</h1>\n<p class=\"note\">",
      HtmlText(std::string(Text(Msg::kApxDocNote, kDocumentLanguage))),
      "</p>\n");
  for (const v1::AppendixTable& table : appendix.tables()) {
    AppendTable(out, table, appendix);
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace fieldsync::cli
