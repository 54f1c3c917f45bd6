// The values of scope-log records (docs/storage-format.md). One record,
// keyed "<scope>\0<base>", holds a run of the scope's entries written
// together: a pushed batch's documents share their commune's, district's
// and the province's scopes, so a batch of 500 reports costs three records
// instead of 1 500, each of which RocksDB would insert into its memtable on
// its own.
#ifndef FIELDSYNC_SYNC_SCOPE_LOG_RUN_H_
#define FIELDSYNC_SYNC_SCOPE_LOG_RUN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"

namespace fieldsync {

// One entry of a run, as encoded.
struct ScopeLogRunEntry {
  uint64_t sequence = 0;
  std::string_view key;  // the document key
};

// Appends to `out` the value of a record at `base` holding `entries`, in
// increasing sequence order, none below `base`.
void AppendScopeLogRun(std::string& out, uint64_t base,
                       const std::vector<ScopeLogRunEntry>& entries);

// Calls `visit` with each entry of the record at `base` whose value is
// `value`, in order, until it returns false. A value written before runs
// is one document key, the entry at `base`. Returns whether every entry was
// visited, or DataLoss if the value is not a record this code wrote.
absl::StatusOr<bool> VisitScopeLogRecord(
    uint64_t base, std::string_view value,
    absl::FunctionRef<bool(uint64_t sequence, std::string_view key)> visit);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_SCOPE_LOG_RUN_H_
