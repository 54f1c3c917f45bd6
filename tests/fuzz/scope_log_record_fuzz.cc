// Scope-log records as the store reads them back (sync/scope_log_run.h):
// any value is visited in increasing sequence order from its base or
// refused as DataLoss, and a run this code writes reads back entry for
// entry.
#include <string>
#include <vector>

#include "sync/scope_log_run.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldsync::fuzz;
  const uint64_t base = TakeNumber(data, size);
  std::vector<fieldsync::ScopeLogRunEntry> seen;
  std::vector<std::string> keys;
  absl::StatusOr<bool> all = fieldsync::VisitScopeLogRecord(
      base, Bytes(data, size), [&](uint64_t sequence, std::string_view key) {
        if (sequence < base) Fail("an entry below the record's base");
        if (!seen.empty() && sequence <= seen.back().sequence) {
          Fail("entries out of order");
        }
        keys.emplace_back(key);
        seen.push_back({sequence, ""});
        return true;
      });
  if (!all.ok()) {
    if (all.status().code() != absl::StatusCode::kDataLoss) {
      Fail("a bad record refused other than as DataLoss");
    }
    return 0;
  }
  if (seen.empty()) return 0;
  // Written again as a run, the entries read back the same.
  for (size_t i = 0; i < seen.size(); ++i) seen[i].key = keys[i];
  std::string value;
  fieldsync::AppendScopeLogRun(value, seen.front().sequence, seen);
  size_t i = 0;
  absl::StatusOr<bool> again = fieldsync::VisitScopeLogRecord(
      seen.front().sequence, value,
      [&](uint64_t sequence, std::string_view key) {
        if (i >= seen.size() || sequence != seen[i].sequence ||
            key != keys[i]) {
          Fail("a written run did not read back");
        }
        ++i;
        return true;
      });
  if (!again.ok() || i != seen.size()) Fail("a written run was refused");
  return 0;
}
