// The narrow storage interface every replica writes through (STYLE.md 4).
// Implementations: RocksDbStore (server and tablet) and MemoryStore (tests);
// tests/store_contract_test.cc runs one suite against both.
#ifndef FIELDSYNC_SYNC_STORE_H_
#define FIELDSYNC_SYNC_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fieldsync/v1/document.pb.h"

namespace fieldsync {

// Writes applied together or not at all.
class StoreBatch {
 public:
  void PutDoc(v1::Document doc) { docs_.push_back(std::move(doc)); }
  void PutMeta(std::string key, std::string value) {
    meta_.emplace_back(std::move(key), std::move(value));
  }

  const std::vector<v1::Document>& docs() const { return docs_; }
  const std::vector<std::pair<std::string, std::string>>& meta() const {
    return meta_;
  }
  bool empty() const { return docs_.empty() && meta_.empty(); }

 private:
  std::vector<v1::Document> docs_;
  std::vector<std::pair<std::string, std::string>> meta_;
};

// Called for each document of a scan, in key order; return false to stop.
using DocVisitor = std::function<bool(const v1::Document&)>;

class Store {
 public:
  virtual ~Store() = default;

  // Applies every write of `batch` atomically. Once it returns OK the writes
  // are durable at the level the store was opened with.
  virtual absl::Status ApplyBatch(const StoreBatch& batch) = 0;

  // The document at `key`, or nullopt if there is none.
  virtual absl::StatusOr<std::optional<v1::Document>> GetDoc(
      std::string_view key) = 0;

  // Visits every document whose key starts with `prefix`, in key order.
  virtual absl::Status ScanDocs(std::string_view prefix,
                                const DocVisitor& visit) = 0;

  // The meta value at `key`, or nullopt if there is none.
  virtual absl::StatusOr<std::optional<std::string>> GetMeta(
      std::string_view key) = 0;
};

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_STORE_H_
