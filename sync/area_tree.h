// The area hierarchy as a tree: ancestry checks for scopes and filters, and
// the hierarchy valid on a given date. Immutable once built; safe to share.
#ifndef FIELDSYNC_SYNC_AREA_TREE_H_
#define FIELDSYNC_SYNC_AREA_TREE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "fieldsync/v1/area.pb.h"

namespace fieldsync {

class AreaTree {
 public:
  // Builds the tree; fails if an id repeats or a parent is unknown.
  static absl::StatusOr<AreaTree> Build(std::vector<v1::Area> areas);

  AreaTree() = default;

  // The area with `id`, or nullptr.
  const v1::Area* Find(std::string_view id) const;

  // `id` and its ancestors, nearest first; empty if `id` is unknown.
  std::vector<const v1::Area*> Ancestry(std::string_view id) const;

  // True if `id` is `ancestor_id` or lies below it.
  bool IsWithin(std::string_view id, std::string_view ancestor_id) const;

  // `root_id` (empty: every root) and its descendants, in tree order (each
  // area after its parent), keeping only areas valid on `date` (YYYY-MM-DD;
  // empty: every area).
  std::vector<v1::Area> Subtree(std::string_view root_id,
                                std::string_view date) const;

  size_t size() const { return areas_.size(); }

 private:
  void AppendSubtree(size_t index, std::string_view date,
                     std::vector<v1::Area>& out) const;

  std::vector<v1::Area> areas_;
  absl::flat_hash_map<std::string, size_t> index_;
  std::vector<std::vector<size_t>> children_;
  std::vector<size_t> roots_;
};

// True if `date` is a valid calendar date written YYYY-MM-DD.
bool IsIsoDate(std::string_view date);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_AREA_TREE_H_
