// The RocksDB column families, declared once (STYLE.md 5). The enum and the
// table must stay in step: a static_assert ties their sizes together, and the
// contents are described in docs/storage-format.md.
#ifndef FIELDSYNC_SYNC_COLUMN_FAMILIES_H_
#define FIELDSYNC_SYNC_COLUMN_FAMILIES_H_

#include <array>
#include <cstddef>
#include <string_view>

namespace fieldsync {

enum class ColumnFamily : std::size_t {
  kDefault = 0,  // RocksDB requires it; FieldSync writes nothing there.
  kDocs,         // document key -> Document
  kVersions,     // document key + version -> Document (history)
  kLog,          // sequence -> Mutation
  kScopeLog,     // scope + sequence -> document key
  kDedup,        // device id + mutation seq -> MutationResult
  kConflicts,    // scope + conflict id -> conflict record
  kAggregates,   // area/sector/period/indicator -> sum, count
  kAudit,        // time + id -> audit event
  kMeta,         // named values: schema version, seeds loaded, sequences
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
