#include "server/catalogue_cache.h"

#include "sync/status_macros.h"

namespace fieldsync::server {

absl::StatusOr<std::shared_ptr<const CatalogueIndex>>
CatalogueCache::Current() {
  const uint64_t change = replica_->last_catalogue_change();
  absl::MutexLock lock(&mu_);
  if (change != loaded_at_) {
    FS_ASSIGN_OR_RETURN(CatalogueIndex fresh, CatalogueIndex::Load(*store_));
    index_ = std::make_shared<const CatalogueIndex>(std::move(fresh));
    loaded_at_ = change;
  }
  return index_;
}

}  // namespace fieldsync::server
