#include "sync/kv_store.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "sync/aggregates.h"
#include "sync/deterministic.h"
#include "sync/keys.h"
#include "sync/scope_log_run.h"
#include "sync/status_macros.h"

namespace fieldsync {
namespace {

template <typename Proto>
absl::StatusOr<Proto> Parse(std::string_view bytes, std::string_view what,
                            std::string_view key) {
  Proto proto;
  if (!proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("stored ", std::string(what), " ",
                                            absl::CHexEscape(std::string(key)),
                                            " does not parse"));
  }
  return proto;
}

// "<prefix>\0": every key built from `prefix` by keys.h starts so.
std::string NumberedPrefix(std::string_view prefix) {
  std::string p(prefix);
  p.push_back('\0');
  return p;
}

}  // namespace

namespace {

// The default batch: a list for Write().
class ListBatch : public KvBatch {
 public:
  explicit ListBatch(size_t entries) { writes.reserve(entries); }
  void Put(ColumnFamily cf, std::string_view key,
           std::string_view value) override {
    writes.push_back({cf, std::string(key), std::string(value)});
  }
  void Delete(ColumnFamily cf, std::string_view key) override {
    writes.push_back({cf, std::string(key), "", /*remove=*/true});
  }
  std::vector<KvWrite> writes;
};

// "<prefix>\0<number>" (keys.h) built in `scratch`, whose capacity is
// reused from key to key.
std::string_view NumberKey(std::string& scratch, std::string_view prefix,
                           uint64_t number) {
  scratch.assign(prefix);
  scratch.push_back('\0');
  AppendBigEndian64(scratch, number);
  return scratch;
}

std::string_view SequenceKeyIn(std::string& scratch, uint64_t number) {
  scratch.clear();
  AppendBigEndian64(scratch, number);
  return scratch;
}

}  // namespace

namespace {

// One record per scope of `entries` (scope_log_run.h), at the scope's
// smallest sequence among them.
void AddScopeLogRuns(const std::vector<ScopeLogEntry>& entries,
                     KvBatch& batch) {
  if (entries.empty()) return;
  // Scopes in the order they first appear, each with its entries.
  absl::flat_hash_map<std::string_view, size_t> index;
  std::vector<std::pair<std::string_view, std::vector<ScopeLogRunEntry>>> runs;
  for (const ScopeLogEntry& e : entries) {
    auto [it, added] = index.try_emplace(e.scope, runs.size());
    if (added) runs.emplace_back(e.scope, std::vector<ScopeLogRunEntry>());
    runs[it->second].second.push_back({e.sequence, e.key});
  }
  std::string key;
  std::string value;
  for (auto& [scope, run] : runs) {
    // In sequence order; of two entries of one sequence the later one
    // stays, as a second write of one key would.
    std::stable_sort(run.begin(), run.end(),
                     [](const ScopeLogRunEntry& a, const ScopeLogRunEntry& b) {
                       return a.sequence < b.sequence;
                     });
    std::vector<ScopeLogRunEntry> kept;
    kept.reserve(run.size());
    for (size_t i = 0; i < run.size(); ++i) {
      if (i + 1 < run.size() && run[i + 1].sequence == run[i].sequence) {
        continue;
      }
      kept.push_back(run[i]);
    }
    value.clear();
    AppendScopeLogRun(value, kept.front().sequence, kept);
    batch.Put(ColumnFamily::kScopeLog,
              NumberKey(key, scope, kept.front().sequence), value);
  }
}

}  // namespace

std::unique_ptr<KvBatch> KvStore::NewBatch(size_t bytes) {
  return std::make_unique<ListBatch>(bytes / 64);
}

absl::Status KvStore::WriteBatch(KvBatch& batch, bool /*durable*/) {
  return Write(static_cast<ListBatch&>(batch).writes);
}

absl::Status KvStore::Apply(const WriteSet& writes) {
  FS_ASSIGN_OR_RETURN(std::unique_ptr<KvBatch> batch, Encode(writes));
  return WriteBatch(*batch, /*durable=*/true);
}

std::unique_ptr<Store::PreparedWrite> KvStore::PrepareWrite(
    const WriteSet& writes) {
  absl::StatusOr<std::unique_ptr<KvBatch>> batch = Encode(writes);
  if (batch.ok()) return *std::move(batch);
  // Reported when applied, where a status can go.
  std::unique_ptr<KvBatch> failed = NewBatch(0);
  failed->error = batch.status();
  return failed;
}

absl::Status KvStore::ApplyPrepared(
    const std::vector<std::unique_ptr<PreparedWrite>>& writes) {
  for (size_t i = 0; i < writes.size(); ++i) {
    auto& batch = static_cast<KvBatch&>(*writes[i]);
    FS_RETURN_IF_ERROR(batch.error);
    // The last write's fsync covers the ones before it: the log is written
    // in order.
    FS_RETURN_IF_ERROR(WriteBatch(batch, /*durable=*/i + 1 == writes.size()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<KvBatch>> KvStore::Encode(
    const WriteSet& writes) {
  std::vector<KvWrite> rewrites;
  if (!writes.scope_log_deletes().empty()) {
    FS_ASSIGN_OR_RETURN(rewrites, ScopeLogRewrites(writes.scope_log_deletes()));
  }
  // A guess at the batch's bytes, on the high side, so that it is allocated
  // once instead of grown (and copied) as it fills: a report is about 700
  // bytes and its log entry 550, with their keys.
  // (docs() go to `docs` and `versions` both.)
  const size_t docs = 2 * writes.docs().size() + writes.current_docs().size() +
                      writes.history().size();
  const size_t bytes =
      1024 * docs + 768 * writes.log().size() +
      64 * (writes.scope_log().size() + writes.results().size() +
            writes.scope_log_deletes().size() + writes.log_deletes().size()) +
      160 * writes.aggregates().size() + 256;
  std::unique_ptr<KvBatch> batch = NewBatch(bytes);
  AddToBatch(writes, *batch);
  for (const KvWrite& w : rewrites) {
    if (w.remove) {
      batch->Delete(w.cf, w.key);
    } else {
      batch->Put(w.cf, w.key, w.value);
    }
  }
  return batch;
}

absl::StatusOr<std::vector<KvWrite>> KvStore::ScopeLogRewrites(
    const std::vector<ScopeLogEntry>& deletes) {
  // The records the deletes fall in, by key, with their entries.
  struct Record {
    uint64_t base = 0;
    std::vector<std::pair<uint64_t, std::string>> entries;
    absl::flat_hash_set<uint64_t> dropped;
  };
  std::map<std::string, Record> records;
  // Per scope, the record the last delete fell in: compaction deletes in
  // log order, so the next one mostly falls in it too.
  absl::flat_hash_map<std::string_view, Record*> last_of_scope;
  for (const ScopeLogEntry& e : deletes) {
    Record*& record = last_of_scope[e.scope];
    const bool holds = record != nullptr && record->base <= e.sequence &&
                       !record->entries.empty() &&
                       e.sequence <= record->entries.back().first;
    if (!holds) {
      FS_ASSIGN_OR_RETURN(auto found,
                          Last(ColumnFamily::kScopeLog, NumberedPrefix(e.scope),
                               ScopeLogKey(e.scope, e.sequence)));
      if (!found.has_value()) continue;  // nothing at or before it
      auto [it, added] = records.try_emplace(found->first);
      record = &it->second;
      if (added) {
        record->base = TrailingNumber(found->first);
        FS_RETURN_IF_ERROR(
            VisitScopeLogRecord(record->base, found->second,
                                [&](uint64_t sequence, std::string_view key) {
                                  record->entries.emplace_back(
                                      sequence, std::string(key));
                                  return true;
                                })
                .status());
      }
    }
    record->dropped.insert(e.sequence);
  }
  std::vector<KvWrite> rewrites;
  for (auto& [key, record] : records) {
    std::vector<ScopeLogRunEntry> kept;
    for (const auto& [sequence, doc_key] : record.entries) {
      if (!record.dropped.contains(sequence))
        kept.push_back({sequence, doc_key});
    }
    if (kept.size() == record.entries.size()) continue;
    KvWrite w{ColumnFamily::kScopeLog, key, ""};
    if (kept.empty()) {
      w.remove = true;
    } else {
      AppendScopeLogRun(w.value, record.base, kept);
    }
    rewrites.push_back(std::move(w));
  }
  return rewrites;
}

void KvStore::AddToBatch(const WriteSet& writes, KvBatch& batch) {
  std::string key;    // scratch, reused
  std::string value;  // scratch, reused
  for (const auto& doc : writes.docs()) {
    // Deterministic, so a pull sends these bytes as they are and its
    // checksum, computed on them, is what a client recomputes.
    DeterministicBytesTo(*doc, value);
    batch.Put(ColumnFamily::kVersions,
              NumberKey(key, doc->key(), doc->version()), value);
    batch.Put(ColumnFamily::kDocs, doc->key(), value);
  }
  for (const auto& doc : writes.history()) {
    DeterministicBytesTo(*doc, value);
    batch.Put(ColumnFamily::kVersions,
              NumberKey(key, doc->key(), doc->version()), value);
  }
  for (const auto& doc : writes.current_docs()) {
    DeterministicBytesTo(*doc, value);
    batch.Put(ColumnFamily::kDocs, doc->key(), value);
  }
  for (const v1::LogEntry& entry : writes.log()) {
    entry.SerializeToString(&value);
    batch.Put(ColumnFamily::kLog, SequenceKeyIn(key, entry.sequence()), value);
  }
  AddScopeLogRuns(writes.scope_log(), batch);
  for (const v1::MutationResult& result : writes.results()) {
    result.SerializeToString(&value);
    batch.Put(ColumnFamily::kDedup,
              NumberKey(key, result.device_id(), result.mutation_seq()), value);
  }
  for (const v1::ConflictRecord& record : writes.conflicts()) {
    record.SerializeToString(&value);
    batch.Put(ColumnFamily::kConflicts, SequenceKeyIn(key, record.id()), value);
  }
  for (const auto& [meta_key, meta_value] : writes.meta()) {
    batch.Put(ColumnFamily::kMeta, meta_key, meta_value);
  }
  for (const v1::AuditEvent& event : writes.audit()) {
    SequenceKeyIn(key, static_cast<uint64_t>(event.time_micros()));
    AppendBigEndian64(key, audit_counter_.fetch_add(1));
    event.SerializeToString(&value);
    batch.Put(ColumnFamily::kAudit, key, value);
  }
  for (const auto& [cell_key, cell] : writes.aggregates()) {
    if (IsEmptyCell(*cell)) {
      batch.Delete(ColumnFamily::kAggregates, cell_key);
    } else {
      cell->SerializeToString(&value);
      batch.Put(ColumnFamily::kAggregates, cell_key, value);
    }
  }
  for (const std::string& meta_key : writes.meta_deletes()) {
    batch.Delete(ColumnFamily::kMeta, meta_key);
  }
  for (uint64_t sequence : writes.log_deletes()) {
    batch.Delete(ColumnFamily::kLog, SequenceKeyIn(key, sequence));
  }
}

absl::StatusOr<std::optional<v1::Document>> KvStore::GetDoc(
    std::string_view key) {
  FS_ASSIGN_OR_RETURN(std::optional<std::string> value,
                      Get(ColumnFamily::kDocs, key));
  if (!value.has_value()) return std::nullopt;
  FS_ASSIGN_OR_RETURN(v1::Document doc,
                      Parse<v1::Document>(*value, "document", key));
  return doc;
}

absl::StatusOr<std::optional<std::string>> KvStore::GetDocBytes(
    std::string_view key) {
  return Get(ColumnFamily::kDocs, key);
}

absl::StatusOr<std::vector<std::optional<std::string>>> KvStore::GetDocsBytes(
    const std::vector<std::string_view>& keys) {
  return MultiGet(ColumnFamily::kDocs, keys);
}

absl::StatusOr<std::vector<std::optional<std::string>>> KvStore::MultiGet(
    ColumnFamily cf, const std::vector<std::string_view>& keys) {
  std::vector<std::optional<std::string>> values;
  values.reserve(keys.size());
  for (std::string_view key : keys) {
    FS_ASSIGN_OR_RETURN(std::optional<std::string> value, Get(cf, key));
    values.push_back(std::move(value));
  }
  return values;
}

absl::StatusOr<std::optional<v1::Document>> KvStore::GetDocAtVersion(
    std::string_view key, uint64_t version) {
  // The current state first: the history may not hold it.
  FS_ASSIGN_OR_RETURN(std::optional<v1::Document> current, GetDoc(key));
  if (current.has_value() && current->version() <= version) return current;
  FS_ASSIGN_OR_RETURN(auto entry,
                      Last(ColumnFamily::kVersions, NumberedPrefix(key),
                           HistoryKey(key, version)));
  if (!entry.has_value()) return std::nullopt;
  FS_ASSIGN_OR_RETURN(v1::Document doc,
                      Parse<v1::Document>(entry->second, "version", key));
  return doc;
}

template <typename Proto>
absl::Status KvStore::ScanParsed(
    ColumnFamily cf, std::string_view from, std::string_view prefix,
    std::string_view what,
    const std::function<bool(std::string_view key, const Proto&)>& visit) {
  absl::Status error;
  Proto proto;
  FS_RETURN_IF_ERROR(
      Scan(cf, from, prefix, [&](std::string_view k, std::string_view v) {
        if (!proto.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
          error = absl::DataLossError(absl::StrCat(
              "stored ", std::string(what), " ",
              absl::CHexEscape(std::string(k)), " does not parse"));
          return false;
        }
        return visit(k, proto);
      }));
  return error;
}

absl::Status KvStore::ScanHistory(std::string_view key,
                                  const DocVisitor& visit) {
  return ScanHistoryAfter(key, 0, visit);
}

absl::Status KvStore::ScanHistoryAfter(std::string_view key, uint64_t after,
                                       const DocVisitor& visit) {
  if (after == UINT64_MAX) return absl::OkStatus();
  uint64_t last = after;
  bool stopped = false;
  const std::string prefix = NumberedPrefix(key);
  std::string from;
  NumberKey(from, key, after + 1);
  FS_RETURN_IF_ERROR(ScanParsed<v1::Document>(
      ColumnFamily::kVersions, from, prefix, "version",
      [&](std::string_view k, const v1::Document& doc) {
        last = TrailingNumber(k);
        stopped = !visit(doc);
        return !stopped;
      }));
  if (stopped) return absl::OkStatus();
  // The current state, unless the history already ended with it.
  FS_ASSIGN_OR_RETURN(std::optional<v1::Document> current, GetDoc(key));
  if (current.has_value() && current->version() > last) visit(*current);
  return absl::OkStatus();
}

absl::Status KvStore::ScanDocs(std::string_view prefix,
                               const DocVisitor& visit) {
  return ScanDocsAfter(prefix, "", visit);
}

absl::Status KvStore::ScanDocsAfter(std::string_view prefix,
                                    std::string_view after,
                                    const DocVisitor& visit) {
  // The first key after `after` is `after` and a NUL; never before the
  // prefix's first key.
  std::string from(after);
  if (!from.empty()) from.push_back('\0');
  if (from < prefix) from = std::string(prefix);
  return ScanParsed<v1::Document>(
      ColumnFamily::kDocs, from, prefix, "document",
      [&](std::string_view, const v1::Document& doc) { return visit(doc); });
}

absl::Status KvStore::ScanScopeLog(std::string_view scope, uint64_t after,
                                   const ScopeLogVisitor& visit) {
  if (after == UINT64_MAX) return absl::OkStatus();
  const std::string prefix = NumberedPrefix(scope);
  // Visits the entries after `after` of the record `k`, `v`; false once
  // `visit` stops or the record is corrupt (`error`).
  absl::Status error;
  auto visit_record = [&](std::string_view k, std::string_view v) {
    absl::StatusOr<bool> all = VisitScopeLogRecord(
        TrailingNumber(k), v, [&](uint64_t sequence, std::string_view key) {
          if (sequence <= after) return true;
          return visit(
              ScopeLogEntry{std::string(scope), sequence, std::string(key)});
        });
    if (!all.ok()) error = all.status();
    return all.value_or(false);
  };
  // A record starting at or before `after` may hold entries after it: the
  // last such record only, as each write's entries follow every earlier
  // write's (store.h).
  FS_ASSIGN_OR_RETURN(auto first, Last(ColumnFamily::kScopeLog, prefix,
                                       ScopeLogKey(scope, after)));
  if (first.has_value() && !visit_record(first->first, first->second)) {
    return error;
  }
  FS_RETURN_IF_ERROR(Scan(ColumnFamily::kScopeLog,
                          ScopeLogKey(scope, after + 1), prefix, visit_record));
  return error;
}

absl::Status KvStore::SnapshotScope(std::string_view scope,
                                    const DocVisitor& visit) {
  std::set<std::string> keys;
  FS_RETURN_IF_ERROR(ScanScopeLog(scope, 0, [&](const ScopeLogEntry& e) {
    keys.insert(e.key);
    return true;
  }));
  for (const std::string& key : keys) {
    FS_ASSIGN_OR_RETURN(std::optional<v1::Document> doc, GetDoc(key));
    if (!doc.has_value()) continue;
    // A document that moved to another area left this scope.
    bool member = false;
    for (const std::string& s : doc->scopes()) member |= (s == scope);
    if (member && !visit(*doc)) break;
  }
  return absl::OkStatus();
}

absl::Status KvStore::ScanEveryScopeLog(const ScopeLogVisitor& visit) {
  absl::Status error;
  FS_RETURN_IF_ERROR(Scan(
      ColumnFamily::kScopeLog, "", "",
      [&](std::string_view k, std::string_view v) {
        // "<scope>\0<8-byte sequence>"
        if (k.size() < 9) return true;
        const std::string scope(k.substr(0, k.size() - 9));
        absl::StatusOr<bool> all = VisitScopeLogRecord(
            TrailingNumber(k), v, [&](uint64_t sequence, std::string_view key) {
              return visit(ScopeLogEntry{scope, sequence, std::string(key)});
            });
        if (!all.ok()) error = all.status();
        return all.value_or(false);
      }));
  return error;
}

absl::Status KvStore::ScanLog(uint64_t after, const LogVisitor& visit) {
  if (after == UINT64_MAX) return absl::OkStatus();
  return ScanParsed<v1::LogEntry>(
      ColumnFamily::kLog, SequenceKey(after + 1), "", "log",
      [&](std::string_view, const v1::LogEntry& e) { return visit(e); });
}

absl::StatusOr<std::optional<v1::MutationResult>> KvStore::GetResult(
    std::string_view device_id, uint64_t mutation_seq) {
  const std::string key = ResultKey(device_id, mutation_seq);
  FS_ASSIGN_OR_RETURN(std::optional<std::string> value,
                      Get(ColumnFamily::kDedup, key));
  if (!value.has_value()) return std::nullopt;
  FS_ASSIGN_OR_RETURN(v1::MutationResult result,
                      Parse<v1::MutationResult>(*value, "result", key));
  return result;
}

absl::StatusOr<uint64_t> KvStore::GetDeviceSeq(std::string_view device_id) {
  FS_ASSIGN_OR_RETURN(auto entry,
                      Last(ColumnFamily::kDedup, NumberedPrefix(device_id),
                           ResultKey(device_id, UINT64_MAX)));
  return entry.has_value() ? TrailingNumber(entry->first) : 0;
}

absl::Status KvStore::ScanConflicts(const ConflictVisitor& visit) {
  return ScanConflictsAfter(0, visit);
}

absl::Status KvStore::ScanConflictsAfter(uint64_t after,
                                         const ConflictVisitor& visit) {
  if (after == UINT64_MAX) return absl::OkStatus();
  std::string from;
  if (after > 0) SequenceKeyIn(from, after + 1);
  return ScanParsed<v1::ConflictRecord>(
      ColumnFamily::kConflicts, from, "", "conflict",
      [&](std::string_view, const v1::ConflictRecord& r) { return visit(r); });
}

absl::Status KvStore::ScanAudit(const AuditVisitor& visit) {
  return ScanParsed<v1::AuditEvent>(
      ColumnFamily::kAudit, "", "", "audit event",
      [&](std::string_view, const v1::AuditEvent& e) { return visit(e); });
}

absl::Status KvStore::ScanAuditFrom(
    std::string_view from,
    const std::function<bool(std::string_view key, const v1::AuditEvent&)>&
        visit) {
  return ScanParsed<v1::AuditEvent>(ColumnFamily::kAudit, from, "",
                                    "audit event", visit);
}

absl::Status KvStore::ScanMeta(std::string_view prefix,
                               const MetaVisitor& visit) {
  return Scan(ColumnFamily::kMeta, prefix, prefix, visit);
}

absl::StatusOr<std::optional<std::string>> KvStore::GetMeta(
    std::string_view key) {
  return Get(ColumnFamily::kMeta, key);
}

absl::StatusOr<std::vector<std::optional<v1::AggregateCell>>>
KvStore::GetAggregates(const std::vector<std::string_view>& keys) {
  FS_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> values,
                      MultiGet(ColumnFamily::kAggregates, keys));
  std::vector<std::optional<v1::AggregateCell>> cells(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i].has_value()) continue;
    FS_ASSIGN_OR_RETURN(
        cells[i], Parse<v1::AggregateCell>(*values[i], "aggregate", keys[i]));
  }
  return cells;
}

absl::Status KvStore::ScanAggregates(std::string_view prefix,
                                     const AggregateVisitor& visit) {
  // A totals query reads many small cells: ScanParsed's one message keeps
  // its repeated fields' capacity from cell to cell.
  return ScanParsed<v1::AggregateCell>(ColumnFamily::kAggregates, prefix,
                                       prefix, "aggregate", visit);
}

}  // namespace fieldsync
