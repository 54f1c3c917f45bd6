// The narrow storage interface every replica writes through (STYLE.md 4).
// Implementations: RocksDbStore (server and tablet) and MemoryStore (tests);
// tests/store_contract_test.cc runs one suite against both.
//
// The store does no merging: the replica engine decides what to write and
// hands the store one WriteSet per applied batch, written atomically.
#ifndef FIELDSYNC_SYNC_STORE_H_
#define FIELDSYNC_SYNC_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fieldsync/v1/aggregate.pb.h"
#include "fieldsync/v1/document.pb.h"
#include "fieldsync/v1/replication.pb.h"
#include "fieldsync/v1/sync.pb.h"

namespace fieldsync {

// One entry of a scope log: the document a sequence number changed.
struct ScopeLogEntry {
  std::string scope;
  uint64_t sequence = 0;
  std::string key;
};

// Writes applied together or not at all.
class WriteSet {
 public:
  // The document's current state; also kept as its version in the history.
  // Shared, so a replica can keep using what it hands over without a copy.
  void PutDoc(std::shared_ptr<const v1::Document> doc) {
    docs_.push_back(std::move(doc));
  }
  // The document's current state only. Its history gets it once a later
  // state replaces it: whoever writes that one passes it to PutHistory. The
  // store's history reads count the current state as the latest version,
  // so both ways read the same.
  void PutCurrentDoc(std::shared_ptr<const v1::Document> doc) {
    current_docs_.push_back(std::move(doc));
  }
  // A state being replaced, into the history only.
  void PutHistory(std::shared_ptr<const v1::Document> doc) {
    history_.push_back(std::move(doc));
  }
  void PutDoc(v1::Document doc) {
    docs_.push_back(std::make_shared<const v1::Document>(std::move(doc)));
  }
  void PutLog(v1::LogEntry entry) { log_.push_back(std::move(entry)); }
  // A scope's entries must come after every entry of the scope that an
  // earlier write put: stores keep one write's entries of a scope together
  // (sync/scope_log_run.h) and scan them in write order. Server sequences,
  // handed out in order, are.
  void PutScopeLog(ScopeLogEntry entry) {
    scope_log_.push_back(std::move(entry));
  }
  // The result of a device's mutation, for duplicates, and the device's
  // last applied mutation_seq.
  void PutResult(v1::MutationResult result) {
    results_.push_back(std::move(result));
  }
  void PutConflict(v1::ConflictRecord record) {
    conflicts_.push_back(std::move(record));
  }
  void PutMeta(std::string key, std::string value) {
    meta_.emplace_back(std::move(key), std::move(value));
  }
  // An aggregate cell's new state (keys.h AggregateKey); an empty cell is
  // deleted.
  void PutAggregate(std::string key,
                    std::shared_ptr<const v1::AggregateCell> cell) {
    aggregates_.emplace_back(std::move(key), std::move(cell));
  }
  // The audit trail; events are keyed by time, then by arrival.
  void PutAudit(v1::AuditEvent event) { audit_.push_back(std::move(event)); }
  // Log compaction: drop a superseded scope-log entry, or a log entry.
  void DeleteScopeLog(ScopeLogEntry entry) {
    scope_log_deletes_.push_back(std::move(entry));
  }
  void DeleteLog(uint64_t sequence) { log_deletes_.push_back(sequence); }
  void DeleteMeta(std::string key) { meta_deletes_.push_back(std::move(key)); }

  const std::vector<std::shared_ptr<const v1::Document>>& docs() const {
    return docs_;
  }
  const std::vector<std::shared_ptr<const v1::Document>>& current_docs() const {
    return current_docs_;
  }
  const std::vector<std::shared_ptr<const v1::Document>>& history() const {
    return history_;
  }
  const std::vector<v1::LogEntry>& log() const { return log_; }
  const std::vector<ScopeLogEntry>& scope_log() const { return scope_log_; }
  const std::vector<v1::MutationResult>& results() const { return results_; }
  // Moves the results out, once the set is written or encoded.
  std::vector<v1::MutationResult> TakeResults() { return std::move(results_); }
  const std::vector<v1::ConflictRecord>& conflicts() const {
    return conflicts_;
  }
  const std::vector<std::pair<std::string, std::string>>& meta() const {
    return meta_;
  }
  const std::vector<ScopeLogEntry>& scope_log_deletes() const {
    return scope_log_deletes_;
  }
  const std::vector<uint64_t>& log_deletes() const { return log_deletes_; }
  const std::vector<std::string>& meta_deletes() const { return meta_deletes_; }
  const std::vector<v1::AuditEvent>& audit() const { return audit_; }
  const std::vector<
      std::pair<std::string, std::shared_ptr<const v1::AggregateCell>>>&
  aggregates() const {
    return aggregates_;
  }
  bool empty() const {
    return docs_.empty() && current_docs_.empty() && history_.empty() &&
           log_.empty() && scope_log_.empty() && results_.empty() &&
           conflicts_.empty() && meta_.empty() && scope_log_deletes_.empty() &&
           log_deletes_.empty() && audit_.empty() && meta_deletes_.empty() &&
           aggregates_.empty();
  }

 private:
  std::vector<std::shared_ptr<const v1::Document>> docs_;
  std::vector<std::shared_ptr<const v1::Document>> current_docs_;
  std::vector<std::shared_ptr<const v1::Document>> history_;
  std::vector<v1::LogEntry> log_;
  std::vector<ScopeLogEntry> scope_log_;
  std::vector<v1::MutationResult> results_;
  std::vector<v1::ConflictRecord> conflicts_;
  std::vector<std::pair<std::string, std::string>> meta_;
  std::vector<ScopeLogEntry> scope_log_deletes_;
  std::vector<uint64_t> log_deletes_;
  std::vector<v1::AuditEvent> audit_;
  std::vector<std::string> meta_deletes_;
  std::vector<std::pair<std::string, std::shared_ptr<const v1::AggregateCell>>>
      aggregates_;
};

// Visitors return false to stop a scan.
using DocVisitor = std::function<bool(const v1::Document&)>;
using ScopeLogVisitor = std::function<bool(const ScopeLogEntry&)>;
using LogVisitor = std::function<bool(const v1::LogEntry&)>;
using ConflictVisitor = std::function<bool(const v1::ConflictRecord&)>;
using AuditVisitor = std::function<bool(const v1::AuditEvent&)>;
using MetaVisitor =
    std::function<bool(std::string_view key, std::string_view value)>;
using AggregateVisitor =
    std::function<bool(std::string_view key, const v1::AggregateCell& cell)>;

class Store {
 public:
  virtual ~Store() = default;

  // Applies every write of `writes` atomically. Once it returns OK the
  // writes are durable at the level the store was opened with.
  virtual absl::Status Apply(const WriteSet& writes) = 0;

  // A WriteSet turned into the store's own batch ahead of time, so the
  // encoding can run on one thread and the write on another.
  class PreparedWrite {
   public:
    virtual ~PreparedWrite() = default;
  };
  // Encodes `writes`; nothing is written yet. May run concurrently with
  // reads and with ApplyPrepared.
  virtual std::unique_ptr<PreparedWrite> PrepareWrite(
      const WriteSet& writes) = 0;
  // Applies each of `writes` atomically, in order, stopping at the first
  // that fails. Once it returns OK all are durable at the store's level,
  // for the price of one fsync: a crash keeps a prefix of them.
  virtual absl::Status ApplyPrepared(
      const std::vector<std::unique_ptr<PreparedWrite>>& writes) = 0;

  // The document at `key`, or nullopt if there is none.
  virtual absl::StatusOr<std::optional<v1::Document>> GetDoc(
      std::string_view key) = 0;

  // The stored bytes of the document at `key` (its deterministic
  // serialization), or nullopt if there is none: for a reader that sends
  // documents on without looking inside them.
  virtual absl::StatusOr<std::optional<std::string>> GetDocBytes(
      std::string_view key) = 0;

  // GetDocBytes of each of `keys`, in their order, in one read: a store may
  // look many up for about the price of a few (RocksDB's MultiGet).
  virtual absl::StatusOr<std::vector<std::optional<std::string>>> GetDocsBytes(
      const std::vector<std::string_view>& keys) = 0;

  // The document as it was at `version`: its latest history entry whose
  // version is <= `version`; nullopt if it did not exist yet.
  // The current state counts as the latest version, whether or not the
  // history holds it too (WriteSet::PutCurrentDoc).
  virtual absl::StatusOr<std::optional<v1::Document>> GetDocAtVersion(
      std::string_view key, uint64_t version) = 0;

  // Visits every version of the document at `key`, oldest first, the
  // current state last.
  virtual absl::Status ScanHistory(std::string_view key,
                                   const DocVisitor& visit) = 0;

  // Visits the versions of the document at `key` after version `after`,
  // oldest first, the current state last, starting there (a seek, not a
  // scan of the older ones).
  virtual absl::Status ScanHistoryAfter(std::string_view key, uint64_t after,
                                        const DocVisitor& visit) = 0;

  // Visits every document whose key starts with `prefix`, in key order.
  virtual absl::Status ScanDocs(std::string_view prefix,
                                const DocVisitor& visit) = 0;

  // Visits the documents whose key starts with `prefix` and sorts after
  // `after` ("": every one), in key order, starting there (a seek).
  virtual absl::Status ScanDocsAfter(std::string_view prefix,
                                     std::string_view after,
                                     const DocVisitor& visit) = 0;

  // Visits the entries of `scope`'s log with sequence > `after`, in order.
  virtual absl::Status ScanScopeLog(std::string_view scope, uint64_t after,
                                    const ScopeLogVisitor& visit) = 0;

  // Visits the current state of every document in `scope`, in key order:
  // the documents its log names that still belong to it. Costs what the
  // scope holds, not what the database holds.
  virtual absl::Status SnapshotScope(std::string_view scope,
                                     const DocVisitor& visit) = 0;

  // Visits every entry of every scope log, scope by scope.
  virtual absl::Status ScanEveryScopeLog(const ScopeLogVisitor& visit) = 0;

  // Visits the server log from sequence > `after`, in order.
  virtual absl::Status ScanLog(uint64_t after, const LogVisitor& visit) = 0;

  // The stored result of a device's mutation, or nullopt.
  virtual absl::StatusOr<std::optional<v1::MutationResult>> GetResult(
      std::string_view device_id, uint64_t mutation_seq) = 0;

  // The highest mutation_seq of the device with a stored result; 0 if none.
  virtual absl::StatusOr<uint64_t> GetDeviceSeq(std::string_view device_id) = 0;

  // Visits every conflict record, in id order.
  virtual absl::Status ScanConflicts(const ConflictVisitor& visit) = 0;

  // Visits the conflict records with id > `after`, in id order, starting
  // there (a seek, not a scan of the earlier ones).
  virtual absl::Status ScanConflictsAfter(uint64_t after,
                                          const ConflictVisitor& visit) = 0;

  // Visits the audit trail, oldest first.
  virtual absl::Status ScanAudit(const AuditVisitor& visit) = 0;

  // Visits the audit trail from the event keyed `from` on (keys: the time in
  // microseconds, then a counter, both 8 bytes big-endian; "" for the
  // start), oldest first, with each event's key.
  virtual absl::Status ScanAuditFrom(
      std::string_view from,
      const std::function<bool(std::string_view key, const v1::AuditEvent&)>&
          visit) = 0;

  // Visits the meta entries whose key starts with `prefix`, in key order.
  virtual absl::Status ScanMeta(std::string_view prefix,
                                const MetaVisitor& visit) = 0;

  // The aggregate cells at `keys`, in their order (nullopt: none), in one
  // read.
  virtual absl::StatusOr<std::vector<std::optional<v1::AggregateCell>>>
  GetAggregates(const std::vector<std::string_view>& keys) = 0;

  // Visits the aggregate cells whose key starts with `prefix`, in key order.
  virtual absl::Status ScanAggregates(std::string_view prefix,
                                      const AggregateVisitor& visit) = 0;

  // The meta value at `key`, or nullopt if there is none.
  virtual absl::StatusOr<std::optional<std::string>> GetMeta(
      std::string_view key) = 0;
};

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_STORE_H_
