// The area hierarchy as a tree: ancestry checks for scopes and filters, and
// the hierarchy valid on a given date. Immutable once built; safe to share.
//
// Time: an area is valid from `valid_from` until the day before
// `valid_until`; its parent on a date is the `former_parents` entry that
// date falls before, else `parent_id`. An area that ended by a merge or a
// dissolution names its successor in its lineage, and its reports count
// toward that successor on any later date (RollupTargetOn).
#ifndef FIELDSYNC_SYNC_AREA_TREE_H_
#define FIELDSYNC_SYNC_AREA_TREE_H_

#include <functional>
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
  // empty: every area, under their parents of today). Each copy carries
  // its parent and its name on `date`.
  std::vector<v1::Area> Subtree(std::string_view root_id,
                                std::string_view date) const;

  // The area `id`'s reports count toward on `date`: itself while valid,
  // else the area it was merged or dissolved into, followed on; nullptr if
  // `id` is unknown or its chain reaches no area valid on `date`.
  const v1::Area* RollupTargetOn(std::string_view id,
                                 std::string_view date) const;

  // The areas whose reports count toward `id` on `date` besides its own:
  // those merged or dissolved into it by then, directly or through others.
  std::vector<std::string> ContributorsOn(std::string_view id,
                                          std::string_view date) const;

  // Where the officers of `id` work on `date`: `id`, or the area it was
  // merged into by then, followed on. Dissolutions are not followed (a
  // district's officer does not become the province's).
  std::string MergedSuccessorOn(std::string_view id,
                                std::string_view date) const;

  // Every area merged into `id` at any date, directly or through others:
  // whose history the officers of `id` inherit.
  std::vector<std::string> MergedFrom(std::string_view id) const;

  // The full name `id` had on `date` (before a rename, the former name);
  // empty if `id` is unknown.
  std::string FullNameOn(std::string_view id, std::string_view date) const;

  // The successor `id` was merged or dissolved into, with the date; nullptr
  // if it has none.
  const v1::AreaLineage* EndOf(std::string_view id) const;

  // A tree with `changed` replacing the areas of the same id and the others
  // added; fails like Build.
  absl::StatusOr<AreaTree> With(std::vector<v1::Area> changed) const;

  // Every area, in the order built from.
  const std::vector<v1::Area>& all() const { return areas_; }

  size_t size() const { return areas_.size(); }

 private:
  void AppendSubtree(size_t index, std::string_view date,
                     std::vector<v1::Area>& out) const;
  // The areas merged or dissolved into `id`, directly or through others,
  // following only the links `keep` (the source's index, the link's date)
  // accepts.
  std::vector<std::string> AbsorbedInto(
      std::string_view id,
      const std::function<bool(size_t, const std::string&)>& keep) const;

  std::vector<v1::Area> areas_;
  absl::flat_hash_map<std::string, size_t> index_;
  // Every area that had `i` as its parent at some date.
  std::vector<std::vector<size_t>> children_;
  // The areas merged or dissolved into `i`, with the link's date.
  std::vector<std::vector<std::pair<size_t, std::string>>> absorbed_;
  std::vector<size_t> roots_;
};

// The parent of `area` on `date` (empty: its parent of today).
const std::string& ParentOn(const v1::Area& area, std::string_view date);

// The date (YYYY-MM-DD) in Vietnam (UTC+7, no daylight saving) at
// `micros` since the Unix epoch: the day a rule about areas is judged on.
std::string DateInVietnam(int64_t micros);

// OK if `area_id` exists on `date`. Otherwise InvalidArgument on `field`
// naming where its work went (merged or dissolved into which area, when),
// with reason AREA_SUPERSEDED (error_info.h; metadata "successor_area_id"
// when it has one), or NotFound if there is no such area at all.
absl::Status CheckAreaOn(std::string_view field, const std::string& area_id,
                         std::string_view date, const AreaTree& areas);

// True if `area` is valid on `date` (empty: any date).
bool IsValidOn(const v1::Area& area, std::string_view date);

// True if `date` is a valid calendar date written YYYY-MM-DD.
bool IsIsoDate(std::string_view date);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_AREA_TREE_H_
