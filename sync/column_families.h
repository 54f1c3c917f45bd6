// The RocksDB column families, declared once (STYLE.md 5). The enum and the
// table must stay in step: a static_assert ties their sizes together, and the
// contents are described in docs/storage-format.md.
#ifndef FIELDSYNC_SYNC_COLUMN_FAMILIES_H_
#define FIELDSYNC_SYNC_COLUMN_FAMILIES_H_

#include <array>
#include <cstddef>
#include <string_view>

namespace fieldsync {

// Keys are built by sync/keys.h; numbers in keys are 8 bytes, big-endian,
// so they sort as numbers.
enum class ColumnFamily : std::size_t {
  kDefault = 0,  // RocksDB requires it; FieldSync writes nothing there.
  kDocs,         // document key -> Document, its deterministic bytes
  kVersions,     // document key \0 version -> Document as of that version
  kLog,          // sequence -> LogEntry: the mutation as received, its result
  kScopeLog,     // scope \0 first sequence -> a run of (sequence, doc key)
  kDedup,        // device id \0 mutation seq -> MutationResult (and digest)
  kConflicts,    // the sequence that opened it -> ConflictRecord (review)
  kAggregates,   // period \0 area \0 model -> AggregateCell, per status
  kAudit,        // time (micros), counter -> AuditEvent
  kMeta,         // named values: sequences, formats, seeds, locked years
  kCount,
};

struct ColumnFamilyInfo {
  ColumnFamily id;
  std::string_view name;
};

inline constexpr std::array<ColumnFamilyInfo,
                            static_cast<std::size_t>(ColumnFamily::kCount)>
    kColumnFamilies = {{
        {ColumnFamily::kDefault, "default"},
        {ColumnFamily::kDocs, "docs"},
        {ColumnFamily::kVersions, "versions"},
        {ColumnFamily::kLog, "log"},
        {ColumnFamily::kScopeLog, "scope_log"},
        {ColumnFamily::kDedup, "dedup"},
        {ColumnFamily::kConflicts, "conflicts"},
        {ColumnFamily::kAggregates, "aggregates"},
        {ColumnFamily::kAudit, "audit"},
        {ColumnFamily::kMeta, "meta"},
    }};

// Each entry sits at its own enum value, so indexing by the enum is safe.
constexpr bool ColumnFamiliesInEnumOrder() {
  for (std::size_t i = 0; i < kColumnFamilies.size(); ++i) {
    if (static_cast<std::size_t>(kColumnFamilies[i].id) != i) return false;
  }
  return true;
}
static_assert(ColumnFamiliesInEnumOrder(),
              "kColumnFamilies must list every ColumnFamily in enum order");

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_COLUMN_FAMILIES_H_
