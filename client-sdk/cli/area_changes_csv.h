// Reads the mapping table of a hierarchy change (`fieldsync admin areas
// apply-changes FILE.csv`): RFC 4180 CSV, UTF-8 with or without a BOM,
// a header row naming the columns in any order:
//
//   action,old_area_id,new_area_id,new_area_name,new_area_level,valid_from,
//   source[,parent_id]
//
// action is merge, split, rename, dissolve, add or dissolve_level; levels
// are province, district, commune or hamlet. Every row keeps its line
// number so the server's refusal can name it.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_AREA_CHANGES_CSV_H_
#define FIELDSYNC_CLIENT_SDK_CLI_AREA_CHANGES_CSV_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "fieldsync/v1/area.pb.h"

namespace fieldsync::cli {

// The rows of `text`; InvalidArgument "line N: column C: ..." for a
// missing column, an unknown action or level, or an unclosed quote.
absl::StatusOr<std::vector<v1::AreaChange>> ParseAreaChangesCsv(
    std::string_view text);

// "merge" -> AREA_CHANGE_ACTION_MERGE; unspecified if unknown.
v1::AreaChangeAction AreaChangeActionOf(std::string_view name);

// "commune" -> AREA_LEVEL_COMMUNE; unspecified if unknown.
v1::AreaLevel AreaLevelOf(std::string_view name);

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_AREA_CHANGES_CSV_H_
