#include "sync/memory_store.h"

namespace fieldsync {

absl::Status MemoryStore::ApplyBatch(const StoreBatch& batch) {
  absl::MutexLock lock(&mu_);
  for (const v1::Document& doc : batch.docs()) docs_[doc.key()] = doc;
  for (const auto& [key, value] : batch.meta()) meta_[key] = value;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::Document>> MemoryStore::GetDoc(
    std::string_view key) {
  absl::MutexLock lock(&mu_);
  auto it = docs_.find(key);
  if (it == docs_.end()) return std::nullopt;
  return it->second;
}

absl::Status MemoryStore::ScanDocs(std::string_view prefix,
                                   const DocVisitor& visit) {
  // Copy under the lock so a visitor may call back into the store.
  std::vector<v1::Document> matches;
  {
    absl::MutexLock lock(&mu_);
    for (auto it = docs_.lower_bound(prefix);
         it != docs_.end() && it->first.starts_with(prefix); ++it) {
      matches.push_back(it->second);
    }
  }
  for (const v1::Document& doc : matches) {
    if (!visit(doc)) break;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> MemoryStore::GetMeta(
    std::string_view key) {
  absl::MutexLock lock(&mu_);
  auto it = meta_.find(key);
  if (it == meta_.end()) return std::nullopt;
  return it->second;
}

}  // namespace fieldsync
