// The `aggregates` column family's RocksDB merge operator: folds the
// deltas a push writes (sync/cell_delta.h) into their cell when RocksDB
// reads or compacts it.
#ifndef FIELDSYNC_SYNC_CELL_MERGE_OPERATOR_H_
#define FIELDSYNC_SYNC_CELL_MERGE_OPERATOR_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "rocksdb/merge_operator.h"

namespace fieldsync {

// `mismatches` counts the values a fold was asked to take out of a cell
// that did not hold them (sync/cell_delta.h); it is shared with the store,
// which outlives no operator it made.
std::shared_ptr<rocksdb::MergeOperator> NewCellMergeOperator(
    std::shared_ptr<std::atomic<uint64_t>> mismatches);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_CELL_MERGE_OPERATOR_H_
