#include "sync/memory_store.h"

#include "sync/cell_delta.h"
#include "sync/status_macros.h"

namespace fieldsync {

absl::Status MemoryStore::Write(const std::vector<KvWrite>& writes) {
  absl::MutexLock lock(&mu_);
  // Folded before anything is written: a delta that does not parse leaves
  // the store as it was, as a refused RocksDB batch would.
  std::vector<std::optional<std::string>> folded(writes.size());
  // What the batch's earlier writes left in a cell (nullopt: none).
  std::map<std::string_view, std::optional<std::string_view>> cells;
  uint64_t mismatches = 0;
  for (size_t i = 0; i < writes.size(); ++i) {
    const KvWrite& w = writes[i];
    if (w.cf != ColumnFamily::kAggregates) continue;
    if (!w.merge) {
      cells[w.key] =
          w.remove ? std::nullopt : std::optional<std::string_view>(w.value);
      continue;
    }
    std::optional<std::string_view> held;
    if (auto c = cells.find(w.key); c != cells.end()) {
      held = c->second;
    } else if (auto t = tables_[static_cast<size_t>(w.cf)].find(w.key);
               t != tables_[static_cast<size_t>(w.cf)].end()) {
      held = t->second;
    }
    FS_ASSIGN_OR_RETURN(folded[i],
                        FoldCell(w.key, held.has_value() ? &*held : nullptr,
                                 {w.value}, mismatches));
    cells[w.key] = *folded[i];
  }
  *aggregate_mismatches_ += mismatches;
  for (size_t i = 0; i < writes.size(); ++i) {
    const KvWrite& w = writes[i];
    Table& table = tables_[static_cast<size_t>(w.cf)];
    if (folded[i].has_value()) {
      // An emptied cell is no cell (Store::GetAggregates).
      if (folded[i]->empty()) {
        table.erase(w.key);
      } else {
        table[w.key] = *std::move(folded[i]);
      }
    } else if (w.remove) {
      table.erase(w.key);
    } else {
      table[w.key] = w.value;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> MemoryStore::Get(
    ColumnFamily cf, std::string_view key) {
  absl::MutexLock lock(&mu_);
  const Table& table = tables_[static_cast<size_t>(cf)];
  auto it = table.find(key);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

absl::Status MemoryStore::Scan(ColumnFamily cf, std::string_view from,
                               std::string_view prefix,
                               const KvVisitor& visit) {
  // Copy under the lock so a visitor may call back into the store.
  std::vector<std::pair<std::string, std::string>> entries;
  {
    absl::MutexLock lock(&mu_);
    const Table& table = tables_[static_cast<size_t>(cf)];
    for (auto it = table.lower_bound(from);
         it != table.end() && it->first.starts_with(prefix); ++it) {
      entries.emplace_back(it->first, it->second);
    }
  }
  for (const auto& [key, value] : entries) {
    if (!visit(key, value)) break;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::pair<std::string, std::string>>>
MemoryStore::Last(ColumnFamily cf, std::string_view prefix,
                  std::string_view upto) {
  absl::MutexLock lock(&mu_);
  const Table& table = tables_[static_cast<size_t>(cf)];
  auto it = table.upper_bound(upto);
  if (it == table.begin()) return std::nullopt;
  --it;
  if (!it->first.starts_with(prefix)) return std::nullopt;
  return std::make_pair(it->first, it->second);
}

}  // namespace fieldsync
