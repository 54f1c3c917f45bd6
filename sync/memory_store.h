// An in-memory Store for tests and tools: the same contract and encodings
// as RocksDbStore (both are KvStores), nothing durable. Thread-safe.
#ifndef FIELDSYNC_SYNC_MEMORY_STORE_H_
#define FIELDSYNC_SYNC_MEMORY_STORE_H_

#include <array>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sync/kv_store.h"

namespace fieldsync {

class MemoryStore : public KvStore {
 protected:
  absl::Status Write(const std::vector<KvWrite>& writes) override;
  absl::StatusOr<std::optional<std::string>> Get(ColumnFamily cf,
                                                 std::string_view key) override;
  absl::Status Scan(ColumnFamily cf, std::string_view from,
                    std::string_view prefix, const KvVisitor& visit) override;
  absl::StatusOr<std::optional<std::pair<std::string, std::string>>> Last(
      ColumnFamily cf, std::string_view prefix, std::string_view upto) override;

 private:
  using Table = std::map<std::string, std::string, std::less<>>;

  absl::Mutex mu_;
  std::array<Table, kColumnFamilies.size()> tables_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_MEMORY_STORE_H_
