// Store over ordered key-value tables, one per column family. The record
// encodings (keys.h, protobuf values) live here once; MemoryStore and
// RocksDbStore only provide the four primitives below.
#ifndef FIELDSYNC_SYNC_KV_STORE_H_
#define FIELDSYNC_SYNC_KV_STORE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sync/column_families.h"
#include "sync/store.h"

namespace fieldsync {

struct KvWrite {
  ColumnFamily cf;
  std::string key;
  std::string value;
  bool remove = false;  // delete `key` instead of writing `value`
};

// The writes of one Apply as they are built. A store may write them straight
// into its own batch format; the bytes passed are copied.
class KvBatch : public Store::PreparedWrite {
 public:
  virtual void Put(ColumnFamily cf, std::string_view key,
                   std::string_view value) = 0;
  virtual void Delete(ColumnFamily cf, std::string_view key) = 0;

  // Why the WriteSet could not be encoded (a read it needed failed): the
  // batch is not written and applying it returns this.
  absl::Status error;
};

// Called with each key and value of a scan; return false to stop.
using KvVisitor =
    std::function<bool(std::string_view key, std::string_view value)>;

class KvStore : public Store {
 public:
  absl::Status Apply(const WriteSet& writes) override;
  std::unique_ptr<PreparedWrite> PrepareWrite(const WriteSet& writes) override;
  absl::Status ApplyPrepared(
      const std::vector<std::unique_ptr<PreparedWrite>>& writes) override;
  absl::StatusOr<std::optional<v1::Document>> GetDoc(
      std::string_view key) override;
  absl::StatusOr<std::optional<std::string>> GetDocBytes(
      std::string_view key) override;
  absl::StatusOr<std::vector<std::optional<std::string>>> GetDocsBytes(
      const std::vector<std::string_view>& keys) override;
  absl::StatusOr<std::optional<v1::Document>> GetDocAtVersion(
      std::string_view key, uint64_t version) override;
  absl::Status ScanHistory(std::string_view key,
                           const DocVisitor& visit) override;
  absl::Status ScanHistoryAfter(std::string_view key, uint64_t after,
                                const DocVisitor& visit) override;
  absl::Status ScanDocs(std::string_view prefix,
                        const DocVisitor& visit) override;
  absl::Status ScanDocsAfter(std::string_view prefix, std::string_view after,
                             const DocVisitor& visit) override;
  absl::Status ScanScopeLog(std::string_view scope, uint64_t after,
                            const ScopeLogVisitor& visit) override;
  absl::Status SnapshotScope(std::string_view scope,
                             const DocVisitor& visit) override;
  absl::Status ScanEveryScopeLog(const ScopeLogVisitor& visit) override;
  absl::Status ScanLog(uint64_t after, const LogVisitor& visit) override;
  absl::StatusOr<std::optional<v1::MutationResult>> GetResult(
      std::string_view device_id, uint64_t mutation_seq) override;
  absl::StatusOr<uint64_t> GetDeviceSeq(std::string_view device_id) override;
  absl::Status ScanConflicts(const ConflictVisitor& visit) override;
  absl::Status ScanConflictsAfter(uint64_t after,
                                  const ConflictVisitor& visit) override;
  absl::Status ScanAudit(const AuditVisitor& visit) override;
  absl::Status ScanAuditFrom(
      std::string_view from,
      const std::function<bool(std::string_view key, const v1::AuditEvent&)>&
          visit) override;
  absl::Status ScanMeta(std::string_view prefix,
                        const MetaVisitor& visit) override;
  absl::StatusOr<std::optional<std::string>> GetMeta(
      std::string_view key) override;
  absl::StatusOr<std::vector<std::optional<v1::AggregateCell>>> GetAggregates(
      const std::vector<std::string_view>& keys) override;
  absl::Status ScanAggregates(std::string_view prefix,
                              const AggregateVisitor& visit) override;

 protected:
  // Writes every entry atomically.
  virtual absl::Status Write(const std::vector<KvWrite>& writes) = 0;
  // A batch for about `bytes` of keys and values, and its atomic write. By
  // default the batch is a list of KvWrites handed to Write().
  virtual std::unique_ptr<KvBatch> NewBatch(size_t bytes);
  // `durable`: the store's durability applies (an fsync for a syncing
  // store); otherwise the write may wait for a later durable one.
  virtual absl::Status WriteBatch(KvBatch& batch, bool durable);
  virtual absl::StatusOr<std::optional<std::string>> Get(
      ColumnFamily cf, std::string_view key) = 0;
  // Get of each key, in order; by default one Get after another.
  virtual absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      ColumnFamily cf, const std::vector<std::string_view>& keys);
  // Visits the keys >= `from` that start with `prefix`, in order.
  virtual absl::Status Scan(ColumnFamily cf, std::string_view from,
                            std::string_view prefix,
                            const KvVisitor& visit) = 0;
  // Scan, each value parsed as a `Proto` for `visit(key, proto)`; a value
  // that does not parse stops the scan with DataLoss naming it (`what` and
  // its key). One message is parsed into again and again, so its fields
  // keep their capacity: `visit` must not keep a reference to it.
  template <typename Proto>
  absl::Status ScanParsed(
      ColumnFamily cf, std::string_view from, std::string_view prefix,
      std::string_view what,
      const std::function<bool(std::string_view key, const Proto&)>& visit);
  // `writes` as one batch. Scope-log deletes read the records they fall in
  // (ScopeLogRewrites); nothing else reads.
  absl::StatusOr<std::unique_ptr<KvBatch>> Encode(const WriteSet& writes);
  // The scope-log records `deletes` fall in, rewritten without them, or
  // deleted once they hold nothing.
  absl::StatusOr<std::vector<KvWrite>> ScopeLogRewrites(
      const std::vector<ScopeLogEntry>& deletes);
  // Adds every write of `writes` to `batch`.
  void AddToBatch(const WriteSet& writes, KvBatch& batch);
  // Audit keys are the time, then this counter, so two events of one
  // microsecond keep apart and in order.
  std::atomic<uint64_t> audit_counter_{0};

  // The greatest entry whose key is <= `upto` and starts with `prefix`.
  virtual absl::StatusOr<std::optional<std::pair<std::string, std::string>>>
  Last(ColumnFamily cf, std::string_view prefix, std::string_view upto) = 0;
};

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_KV_STORE_H_
