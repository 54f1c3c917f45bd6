// ServerReplica's maintenance: log compaction, locking a year, and the
// one-off rewrites of an older store that Open runs.
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "sync/aggregates.h"
#include "sync/field_error.h"
#include "sync/keys.h"
#include "sync/server_replica.h"
#include "sync/server_replica_internal.h"
#include "sync/status_macros.h"

namespace fieldsync {

using replica_internal::kLockedYearPrefix;

namespace replica_internal {

namespace {

// Format 1: stores written before documents were kept in their
// deterministic bytes get them rewritten, so a pull can send stored bytes as
// they are. Marked when done, so a crash after it skips it.
absl::Status RewriteDocsDeterministically(Store& store) {
  FS_ASSIGN_OR_RETURN(std::optional<std::string> done,
                      store.GetMeta(kDeterministicDocsMetaKey));
  if (done.has_value()) return absl::OkStatus();
  constexpr size_t kDocsPerWrite = 1000;
  WriteSet writes;
  absl::Status error;
  FS_RETURN_IF_ERROR(store.ScanDocs("", [&](const v1::Document& doc) {
    writes.PutDoc(doc);  // the same bytes in `versions` too: the same doc
    if (writes.docs().size() >= kDocsPerWrite) {
      error = store.Apply(writes);
      writes = WriteSet();
    }
    return error.ok();
  }));
  FS_RETURN_IF_ERROR(error);
  writes.PutMeta(std::string(kDeterministicDocsMetaKey), "1");
  return store.Apply(writes);
}

}  // namespace

const Migration kServerMigrations[kServerStoreFormat] = {
    {.to = 1,
     .what = "documents rewritten in their deterministic bytes",
     .run = &RewriteDocsDeterministically},
};

absl::Status FillAggregatesOnce(Store& store) {
  FS_ASSIGN_OR_RETURN(std::optional<std::string> format,
                      store.GetMeta(kAggregatesMetaKey));
  if (format == kAggregatesFormat) return absl::OkStatus();
  FS_ASSIGN_OR_RETURN(auto cells, RecomputeAggregates(store));
  FS_ASSIGN_OR_RETURN(auto stored, StoredAggregates(store));
  WriteSet writes;
  for (const auto& [key, cell] : stored) {
    // An empty cell is a delete (Store::PutAggregate).
    if (!cells.contains(key)) {
      writes.PutAggregate(key, std::make_shared<v1::AggregateCell>());
    }
  }
  for (auto& [key, cell] : cells) {
    writes.PutAggregate(key,
                        std::make_shared<v1::AggregateCell>(std::move(cell)));
  }
  writes.PutMeta(std::string(kAggregatesMetaKey),
                 std::string(kAggregatesFormat));
  return store.Apply(writes);
}

}  // namespace replica_internal

absl::Status ServerReplica::LockYear(const std::string& year,
                                     v1::AuditEvent audit) {
  // Every group merged before the lock is written before it.
  absl::MutexLock lock(&write_mu_);
  FS_RETURN_IF_ERROR(AwaitCommittedLocked());
  if (options_.locked_years.contains(year)) {
    return FieldError(absl::StatusCode::kFailedPrecondition, "year",
                      absl::StrCat(year, " is locked already"));
  }
  WriteSet writes;
  writes.PutMeta(absl::StrCat(kLockedYearPrefix, year), "1");
  if (!audit.kind().empty()) writes.PutAudit(std::move(audit));
  FS_RETURN_IF_ERROR(
      CommittedAlone(options_.store->Apply(writes), last_sequence_));
  options_.locked_years.insert(year);
  return absl::OkStatus();
}

absl::StatusOr<size_t> ServerReplica::CompactLog(uint64_t horizon) {
  // Pushes wait while compacting, so no entry is judged against a document
  // that a batch half-written is changing.
  absl::MutexLock lock(&write_mu_);
  FS_RETURN_IF_ERROR(AwaitCommittedLocked());
  Store* store = options_.store;
  WriteSet writes;
  absl::flat_hash_map<std::string, uint64_t> versions;
  absl::Status error;
  FS_RETURN_IF_ERROR(store->ScanEveryScopeLog([&](const ScopeLogEntry& e) {
    if (e.sequence > horizon) return true;
    auto known = versions.find(e.key);
    if (known == versions.end()) {
      absl::StatusOr<std::optional<v1::Document>> doc = store->GetDoc(e.key);
      if (!doc.ok()) {
        error = doc.status();
        return false;
      }
      known = versions.emplace(e.key, *doc ? (*doc)->version() : 0).first;
    }
    if (known->second != e.sequence) writes.DeleteScopeLog(e);
    return true;
  }));
  FS_RETURN_IF_ERROR(error);
  FS_RETURN_IF_ERROR(store->ScanLog(0, [&](const v1::LogEntry& entry) {
    if (entry.sequence() > horizon) return false;
    writes.DeleteLog(entry.sequence());
    return true;
  }));
  const size_t dropped =
      writes.scope_log_deletes().size() + writes.log_deletes().size();
  if (dropped > 0) {
    FS_RETURN_IF_ERROR(CommittedAlone(store->Apply(writes), last_sequence_));
  }
  return dropped;
}

}  // namespace fieldsync
