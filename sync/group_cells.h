// The aggregate cells one pushed group moves (sync/aggregates.h). The
// group's changes are recorded as it merges; at its end the cells they
// touch are read once each, newest state first (a cache of recent cells,
// the groups prepared before and not yet written, then the store in one
// batched read), and the moves are applied in the order of the changes.
#ifndef FIELDSYNC_SYNC_GROUP_CELLS_H_
#define FIELDSYNC_SYNC_GROUP_CELLS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fieldsync/v1/aggregate.pb.h"
#include "fieldsync/v1/document.pb.h"
#include "sync/aggregates.h"
#include "sync/store.h"

namespace fieldsync {

// Cells by key. A cell is moved in place by the group that touches it
// next: its older states are in earlier groups' writes, encoded already,
// and every reader asks for the newest state.
using CellMap =
    absl::flat_hash_map<std::string, std::shared_ptr<v1::AggregateCell>>;

class GroupCells {
 public:
  // Records what the change from `before` (may be null) to `after` moves:
  // its figures and its status count; nothing for a change that moves
  // neither (a narrative edit).
  void Record(const v1::Document* before, const v1::Document& after);

  bool empty() const { return moves_.empty() && counts_.empty(); }

  // Applies the recorded moves to the newest state of their cells: from
  // `cache`, else from `earlier` (newest last), else from `store`. Puts the
  // group's cells, as they stand after it, in `out`. Returns how many
  // values were to be taken out of a cell that did not hold them: 0 unless
  // cells and reports disagree.
  absl::StatusOr<uint64_t> Apply(Store& store, const CellMap& cache,
                                 const std::vector<const CellMap*>& earlier,
                                 CellMap& out) const;

 private:
  // Each entry taken out (false) or put in (true), in change order.
  std::vector<std::pair<AggregateEntry, bool>> moves_;
  // Each report taken out of a status count (false) or put in (true).
  std::vector<std::pair<ReportPlace, bool>> counts_;
};

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_GROUP_CELLS_H_
