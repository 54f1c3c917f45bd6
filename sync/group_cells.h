// The aggregate cells one pushed group moves (sync/aggregates.h), as the
// deltas the store folds into them (sync/cell_delta.h). The group's changes
// are recorded as it merges; each touched cell gets one delta holding its
// moves in change order. No cell is read: the store folds the deltas in the
// order the groups are written.
#ifndef FIELDSYNC_SYNC_GROUP_CELLS_H_
#define FIELDSYNC_SYNC_GROUP_CELLS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "fieldsync/v1/aggregate_delta.pb.h"
#include "fieldsync/v1/document.pb.h"
#include "sync/aggregates.h"

namespace fieldsync {

// Append one move, as a delta of its own, to `out` (a serialized
// v1::AggregateDelta): the bytes the generated code would give, but for a
// value of 0, which is written rather than left out.
void AppendValueMove(std::string& out, std::string_view indicator,
                     std::string_view unit, bool accepted, double value,
                     bool lower_bound, bool remove);
void AppendCountMove(std::string& out, v1::ReportStatus status, bool remove);

class GroupCells {
 public:
  // Records what the change from `before` (may be null) to `after` moves:
  // its figures and its status count; nothing for a change that moves
  // neither (a narrative edit).
  void Record(const v1::Document* before, const v1::Document& after);

  bool empty() const { return deltas_.empty(); }

  // Each touched cell's key and serialized delta, in key order (the store
  // then inserts them in order); the recorded moves go with them.
  std::vector<std::pair<std::string, std::string>> Take();

 private:
  // The serialized delta of the cell at `key`, to append moves to.
  std::string& DeltaOf(const std::string& key);
  void AppendValue(const std::string& key, const std::string& code,
                   const v1::Indicator& indicator, bool accepted, bool remove);
  void AppendCount(const ReportPlace& place, bool remove);

  // Serialized deltas by cell: a delta's bytes followed by another's are
  // one delta of both (aggregate_delta.proto), so each move is appended as
  // a delta of its own.
  absl::flat_hash_map<std::string, std::string> deltas_;
  // The last cell asked for: a change's figures share one.
  const std::string* last_key_ = nullptr;
  std::string* last_delta_ = nullptr;
};

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_GROUP_CELLS_H_
