// The catalogue the read API serves, reloaded from the store when a synced
// change touched a model, area or sector. Thread-safe; readers share one
// immutable CatalogueIndex until the next change.
#ifndef FIELDSYNC_SERVER_CATALOGUE_CACHE_H_
#define FIELDSYNC_SERVER_CATALOGUE_CACHE_H_

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/catalogue_index.h"
#include "sync/server_replica.h"

namespace fieldsync::server {

class CatalogueCache {
 public:
  // `store` and `replica` must outlive the cache.
  CatalogueCache(Store* store, const ServerReplica* replica,
                 std::shared_ptr<const CatalogueIndex> loaded)
      : store_(store),
        replica_(replica),
        index_(std::move(loaded)),
        loaded_at_(replica->last_catalogue_change()) {}

  // The index as of the latest catalogue change; reads the store only when
  // there was one since the last call. Call it off gRPC's callback threads.
  absl::StatusOr<std::shared_ptr<const CatalogueIndex>> Current()
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  Store* const store_;
  const ServerReplica* const replica_;
  absl::Mutex mu_;
  std::shared_ptr<const CatalogueIndex> index_ ABSL_GUARDED_BY(mu_);
  uint64_t loaded_at_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_CATALOGUE_CACHE_H_
