#include "sync/memory_store.h"

namespace fieldsync {

absl::Status MemoryStore::Write(const std::vector<KvWrite>& writes) {
  absl::MutexLock lock(&mu_);
  for (const KvWrite& w : writes) {
    Table& table = tables_[static_cast<size_t>(w.cf)];
    if (w.remove) {
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
