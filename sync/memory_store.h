// An in-memory Store for tests and tools: same contract as RocksDbStore,
// nothing durable. Thread-safe.
#ifndef FIELDSYNC_SYNC_MEMORY_STORE_H_
#define FIELDSYNC_SYNC_MEMORY_STORE_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sync/store.h"

namespace fieldsync {

class MemoryStore : public Store {
 public:
  absl::Status ApplyBatch(const StoreBatch& batch) override;
  absl::StatusOr<std::optional<v1::Document>> GetDoc(
      std::string_view key) override;
  absl::Status ScanDocs(std::string_view prefix,
                        const DocVisitor& visit) override;
  absl::StatusOr<std::optional<std::string>> GetMeta(
      std::string_view key) override;

 private:
  absl::Mutex mu_;
  std::map<std::string, v1::Document, std::less<>> docs_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string, std::less<>> meta_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_MEMORY_STORE_H_
