// What one prepared group wrote, kept for the groups merged after it until
// it is committed (ServerReplica::Prepare reads through it with a
// BatchView, sync/batch_view.h). Read and written only under the
// replica's `write_mu_`, like the `pending_` that holds it.
#ifndef FIELDSYNC_SYNC_GROUP_WRITES_H_
#define FIELDSYNC_SYNC_GROUP_WRITES_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "fieldsync/v1/sync.pb.h"
#include "google/protobuf/arena.h"
#include "sync/group_cells.h"

namespace fieldsync {
namespace replica_internal {

// Documents are shared with the group's WriteSet, not copied: a batch of
// 500 creates would otherwise copy each document three times.
struct GroupWrites {
  using DocPtr = std::shared_ptr<const v1::Document>;

  // The group's new documents are made here and freed together; each
  // DocPtr to one keeps the arena alive.
  std::shared_ptr<google::protobuf::Arena> arena =
      std::make_shared<google::protobuf::Arena>(ArenaOptions());

  // Each document's latest state in the group, and the states it replaced
  // within the group (a document changed twice), by version.
  absl::flat_hash_map<std::string, DocPtr> docs;
  std::map<std::pair<std::string, uint64_t>, DocPtr> replaced;
  absl::flat_hash_map<std::string, uint64_t> device_seqs;
  // The aggregate cells the group moved, in their state after it.
  CellMap cells;
  // The counts of open review items the group moved (review_bounds.h meta
  // keys) as they stand after it, and whether each item it opened or
  // closed is open after it.
  absl::flat_hash_map<std::string, uint64_t> open_reviews;
  absl::flat_hash_map<uint64_t, bool> review_open;
  static google::protobuf::ArenaOptions ArenaOptions();

  // The results of the mutations the group took (once the group is
  // encoded; until then they are its WriteSet's), and where each is.
  std::vector<v1::MutationResult> results;
  absl::flat_hash_map<std::pair<std::string, uint64_t>, size_t> result_index;

  void PutDoc(DocPtr doc);
  // Records the result at `index` of the group's results.
  void PutResult(const v1::MutationResult& result, size_t index);
  // The group's state of `key` as of `version`, or nullptr if the group
  // has none that old.
  const DocPtr* DocAt(const std::string& key, uint64_t version) const;
};

}  // namespace replica_internal
}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_GROUP_WRITES_H_
