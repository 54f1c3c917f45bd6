// Changes to the hierarchy on a date (merge, split, rename, dissolve, add,
// dissolve a level), as the rows of the mapping table a province receives
// with a resolution. A pure function of the tree and the rows: the server
// writes what it returns, all of it or nothing.
//
// What each row does to the areas:
//   merge      the old area ends the day before; the new one (made if it
//              does not exist) records it in its lineage, takes the old
//              area's children from that date, and the old area's reports
//              count toward it (AreaTree::RollupTargetOn)
//   split      a new area begins from part of the old one, which goes on
//   rename     the old name is kept in the lineage with its date
//   dissolve   the area ends; its children move to the new area, and its
//              own reports count there
//   add        a new area under a parent
//   dissolve_level
//              every area of a level valid that day is dissolved into its
//              parent of that day
// Old ids keep working for everything dated before the change.
#ifndef FIELDSYNC_SYNC_AREA_CHANGES_H_
#define FIELDSYNC_SYNC_AREA_CHANGES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "fieldsync/v1/area.pb.h"
#include "sync/area_tree.h"

namespace fieldsync {

// Applies `changes` in order to `tree` and returns every area made or
// changed, as it is after the last row, in the order first touched.
// InvalidArgument naming the row and its field otherwise: an unknown area,
// an area that does not exist on the row's date, a malformed id or date, a
// new area without a name or level, or dates that make a cycle (an area
// moved under itself, a successor that ends before the area merges into
// it).
absl::StatusOr<std::vector<v1::Area>> ApplyAreaChanges(
    const AreaTree& tree, const std::vector<v1::AreaChange>& changes);

// The type an area's full name starts with ("Phường Sa Đéc" -> phường,
// "Phường"), or unspecified.
v1::AreaType AreaTypeOfName(std::string_view full_name, std::string* type_vi);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_AREA_CHANGES_H_
