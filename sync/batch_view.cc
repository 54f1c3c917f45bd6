#include "sync/batch_view.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "sync/review_bounds.h"
#include "sync/status_macros.h"

namespace fieldsync {
namespace replica_internal {

// Defined before its callers, in the one file that instantiates it.
template <typename Map, typename Key>
const typename Map::mapped_type* BatchView::Find(Map GroupWrites::*map,
                                                 const Key& key) const {
  if (auto it = (own_.*map).find(key); it != (own_.*map).end()) {
    return &it->second;
  }
  for (auto g = earlier_.rbegin(); g != earlier_.rend(); ++g) {
    const Map& m = (**g).*map;
    if (auto it = m.find(key); it != m.end()) return &it->second;
  }
  return nullptr;
}

absl::StatusOr<BatchView::DocPtr> BatchView::Doc(
    const std::string& key, const std::optional<std::string>& stored) {
  if (const DocPtr* doc = Find(&GroupWrites::docs, key)) return *doc;
  if (!stored.has_value()) return nullptr;
  auto doc = std::make_shared<v1::Document>();
  if (!doc->ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat(
        "stored document ", absl::CHexEscape(key), " does not parse"));
  }
  return doc;
}

absl::StatusOr<BatchView::DocPtr> BatchView::DocAt(const std::string& key,
                                                   uint64_t version) {
  if (const DocPtr* doc = own_.DocAt(key, version)) return *doc;
  for (auto g = earlier_.rbegin(); g != earlier_.rend(); ++g) {
    if (const DocPtr* doc = (*g)->DocAt(key, version)) return *doc;
  }
  FS_ASSIGN_OR_RETURN(std::optional<v1::Document> doc,
                      store_->GetDocAtVersion(key, version));
  if (!doc.has_value()) return nullptr;
  return std::make_shared<const v1::Document>(*std::move(doc));
}

absl::StatusOr<uint64_t> BatchView::DeviceSeq(const std::string& device) {
  if (const uint64_t* seq = Find(&GroupWrites::device_seqs, device)) {
    return *seq;
  }
  return store_->GetDeviceSeq(device);
}

absl::StatusOr<uint64_t> BatchView::OpenReviews(const std::string& meta_key) {
  if (const uint64_t* count = Find(&GroupWrites::open_reviews, meta_key)) {
    return *count;
  }
  FS_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                      store_->GetMeta(meta_key));
  return ParseOpenReviews(meta_key, stored);
}

absl::StatusOr<std::optional<bool>> BatchView::ReviewOpen(uint64_t id) {
  if (const bool* open = Find(&GroupWrites::review_open, id)) return *open;
  std::optional<bool> open;
  if (id == 0) return open;
  FS_RETURN_IF_ERROR(
      store_->ScanConflictsAfter(id - 1, [&](const v1::ConflictRecord& r) {
        if (r.id() == id) open = !r.resolved();
        return false;
      }));
  return open;
}

absl::StatusOr<std::optional<v1::MutationResult>> BatchView::Result(
    const std::string& device, uint64_t seq) {
  const std::pair<std::string, uint64_t> key(device, seq);
  if (auto it = own_.result_index.find(key); it != own_.result_index.end()) {
    return own_writes_.results()[it->second];
  }
  for (auto g = earlier_.rbegin(); g != earlier_.rend(); ++g) {
    if (auto it = (*g)->result_index.find(key);
        it != (*g)->result_index.end()) {
      return (*g)->results[it->second];
    }
  }
  return store_->GetResult(device, seq);
}

}  // namespace replica_internal
}  // namespace fieldsync
