// The state a group is merged against (ServerReplica::Prepare): its own
// writes, then those of the groups prepared before it and not yet
// committed (newest first), then the store. A later mutation of the group
// sees what an earlier one did. Lives for one Prepare, under the replica's
// `write_mu_`.
#ifndef FIELDSYNC_SYNC_BATCH_VIEW_H_
#define FIELDSYNC_SYNC_BATCH_VIEW_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "fieldsync/v1/sync.pb.h"
#include "sync/group_writes.h"
#include "sync/store.h"

namespace fieldsync {
namespace replica_internal {

class BatchView {
 public:
  using DocPtr = GroupWrites::DocPtr;
  using Groups = std::deque<std::shared_ptr<GroupWrites>>;

  BatchView(Store* store, const Groups& earlier, const GroupWrites& own,
            const WriteSet& own_writes)
      : store_(store), earlier_(earlier), own_(own), own_writes_(own_writes) {}

  // The current document, or nullptr. `stored` is the store's bytes of
  // it, read ahead (nullopt: none stored).
  absl::StatusOr<DocPtr> Doc(const std::string& key,
                             const std::optional<std::string>& stored);

  // The document as of `version`: the groups' own versions first (they are
  // newer than anything stored), then the store's history.
  absl::StatusOr<DocPtr> DocAt(const std::string& key, uint64_t version);

  absl::StatusOr<uint64_t> DeviceSeq(const std::string& device);

  // A count of open review items (review_bounds.h).
  absl::StatusOr<uint64_t> OpenReviews(const std::string& meta_key);

  // Whether review item `id` is open; nullopt if there is none. A seek to
  // the item, not a scan of the queue.
  absl::StatusOr<std::optional<bool>> ReviewOpen(uint64_t id);

  absl::StatusOr<std::optional<v1::MutationResult>> Result(
      const std::string& device, uint64_t seq);

 private:
  // The value at `key` in the newest group's `map` that has one.
  template <typename Map, typename Key>
  const typename Map::mapped_type* Find(Map GroupWrites::*map,
                                        const Key& key) const;

  Store* store_;
  const Groups& earlier_;
  const GroupWrites& own_;
  const WriteSet& own_writes_;
};

}  // namespace replica_internal
}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_BATCH_VIEW_H_
