// What a change does to a live aggregate cell, as the store keeps it: a
// delta (fieldsync/v1/aggregate_delta.proto) written in the change's own
// batch and folded into the cell when the store reads or compacts it
// (RocksDB's merge operator, sync/cell_merge_operator.h; MemoryStore folds
// at once). A push then writes what its reports moved and never reads or
// rewrites a cell: the cost of live aggregates is one small write a report.
#ifndef FIELDSYNC_SYNC_CELL_DELTA_H_
#define FIELDSYNC_SYNC_CELL_DELTA_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "fieldsync/v1/aggregate.pb.h"
#include "fieldsync/v1/aggregate_delta.pb.h"

namespace fieldsync {

// Folds `delta`'s moves into `cell` in order. Returns how many took out
// what the cell did not hold: 0 unless cells and reports disagree.
uint64_t FoldDelta(v1::AggregateCell& cell, const v1::AggregateDelta& delta);

// The store's merge of one cell: `existing` (a serialized cell; null when
// there is none) with `operands` (serialized deltas, oldest first) folded
// in, serialized; empty when no report is left in the cell, which readers
// take as no cell. Adds to `mismatches` what FoldDelta returns. DataLoss
// naming `key` when a value or an operand does not parse.
absl::StatusOr<std::string> FoldCell(
    std::string_view key, const std::string_view* existing,
    const std::vector<std::string_view>& operands, uint64_t& mismatches);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_CELL_DELTA_H_
