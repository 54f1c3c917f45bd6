#include "client-sdk/cli/area_changes_csv.h"

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace fieldsync::cli {
namespace {

// One record of RFC 4180 CSV starting at `pos`, which it moves past the
// record's line end; `line` counts the lines the record spans.
absl::StatusOr<std::vector<std::string>> NextRecord(std::string_view text,
                                                    size_t& pos, int& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  const int first_line = line;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (quoted) {
      if (c == '"' && pos < text.size() && text[pos] == '"') {
        fields.back() += '"';
        ++pos;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\r' && pos < text.size() && text[pos] == '\n') {
      continue;
    } else if (c == '\n') {
      ++line;
      return fields;
    } else {
      fields.back() += c;
    }
  }
  if (quoted) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", first_line, ": a quote is never closed"));
  }
  ++line;
  return fields;
}

bool IsBlank(const std::vector<std::string>& record) {
  return record.size() == 1 && record[0].empty();
}

}  // namespace

v1::AreaChangeAction AreaChangeActionOf(std::string_view name) {
  static const std::pair<std::string_view, v1::AreaChangeAction> kActions[] = {
      {"merge", v1::AREA_CHANGE_ACTION_MERGE},
      {"split", v1::AREA_CHANGE_ACTION_SPLIT},
      {"rename", v1::AREA_CHANGE_ACTION_RENAME},
      {"dissolve", v1::AREA_CHANGE_ACTION_DISSOLVE},
      {"add", v1::AREA_CHANGE_ACTION_ADD},
      {"dissolve_level", v1::AREA_CHANGE_ACTION_DISSOLVE_LEVEL},
  };
  for (const auto& [text, action] : kActions) {
    if (text == name) return action;
  }
  return v1::AREA_CHANGE_ACTION_UNSPECIFIED;
}

v1::AreaLevel AreaLevelOf(std::string_view name) {
  if (name == "province") return v1::AREA_LEVEL_PROVINCE;
  if (name == "district") return v1::AREA_LEVEL_DISTRICT;
  if (name == "commune") return v1::AREA_LEVEL_COMMUNE;
  if (name == "hamlet") return v1::AREA_LEVEL_HAMLET;
  return v1::AREA_LEVEL_UNSPECIFIED;
}

absl::StatusOr<std::vector<v1::AreaChange>> ParseAreaChangesCsv(
    std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t pos = 0;
  int line = 1;
  absl::StatusOr<std::vector<std::string>> header = NextRecord(text, pos, line);
  if (!header.ok()) return header.status();
  absl::flat_hash_map<std::string, size_t> column;
  for (size_t i = 0; i < header->size(); ++i) column[(*header)[i]] = i;
  for (const char* required :
       {"action", "old_area_id", "new_area_id", "new_area_name",
        "new_area_level", "valid_from"}) {
    if (!column.contains(required)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line 1: the header has no column \"", required,
          "\" (action,old_area_id,new_area_id,new_area_name,new_area_level,"
          "valid_from,source)"));
    }
  }
  std::vector<v1::AreaChange> changes;
  while (pos < text.size()) {
    const int row = line;
    absl::StatusOr<std::vector<std::string>> record =
        NextRecord(text, pos, line);
    if (!record.ok()) return record.status();
    if (IsBlank(*record)) continue;
    auto cell = [&](const char* name) -> std::string {
      auto it = column.find(name);
      return it == column.end() || it->second >= record->size()
                 ? ""
                 : (*record)[it->second];
    };
    v1::AreaChange& change = changes.emplace_back();
    change.set_row(row);
    change.set_action(AreaChangeActionOf(cell("action")));
    if (change.action() == v1::AREA_CHANGE_ACTION_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", row, ": column action: \"", cell("action"),
          "\" is not merge, split, rename, dissolve, add or dissolve_level"));
    }
    change.set_old_area_id(cell("old_area_id"));
    change.set_new_area_id(cell("new_area_id"));
    change.set_new_area_name(cell("new_area_name"));
    const std::string level = cell("new_area_level");
    change.set_new_area_level(AreaLevelOf(level));
    if (!level.empty() &&
        change.new_area_level() == v1::AREA_LEVEL_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", row, ": column new_area_level: \"", level,
                       "\" is not province, district, commune or hamlet"));
    }
    change.set_valid_from(cell("valid_from"));
    change.set_source(cell("source"));
    change.set_parent_id(cell("parent_id"));
  }
  if (changes.empty()) {
    return absl::InvalidArgumentError("the file has a header but no rows");
  }
  return changes;
}

}  // namespace fieldsync::cli
