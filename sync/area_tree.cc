#include "sync/area_tree.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace fieldsync {
namespace {

// ISO dates compare correctly as strings; empty bounds are open.
bool ValidOn(const v1::Area& area, std::string_view date) {
  if (date.empty()) return true;
  if (!area.valid_from().empty() && date < area.valid_from()) return false;
  if (!area.valid_until().empty() && date >= area.valid_until()) return false;
  return true;
}

}  // namespace

bool IsIsoDate(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  absl::CivilDay day;
  if (!absl::ParseCivilTime(absl::string_view(date.data(), date.size()),
                            &day)) {
    return false;
  }
  return absl::FormatCivilTime(day) == absl::string_view(date.data(), 10);
}

absl::StatusOr<AreaTree> AreaTree::Build(std::vector<v1::Area> areas) {
  AreaTree tree;
  tree.areas_ = std::move(areas);
  tree.children_.resize(tree.areas_.size());
  for (size_t i = 0; i < tree.areas_.size(); ++i) {
    if (!tree.index_.emplace(tree.areas_[i].id(), i).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("area id ", tree.areas_[i].id(), " appears twice"));
    }
  }
  for (size_t i = 0; i < tree.areas_.size(); ++i) {
    const std::string& parent = tree.areas_[i].parent_id();
    if (parent.empty()) {
      tree.roots_.push_back(i);
      continue;
    }
    auto it = tree.index_.find(parent);
    if (it == tree.index_.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "area ", tree.areas_[i].id(), " has unknown parent ", parent));
    }
    tree.children_[it->second].push_back(i);
  }
  auto by_position = [&tree](size_t a, size_t b) {
    const v1::Area& x = tree.areas_[a];
    const v1::Area& y = tree.areas_[b];
    return x.position() != y.position() ? x.position() < y.position()
                                        : x.id() < y.id();
  };
  std::sort(tree.roots_.begin(), tree.roots_.end(), by_position);
  for (std::vector<size_t>& children : tree.children_) {
    std::sort(children.begin(), children.end(), by_position);
  }
  return tree;
}

const v1::Area* AreaTree::Find(std::string_view id) const {
  auto it = index_.find(absl::string_view(id.data(), id.size()));
  return it == index_.end() ? nullptr : &areas_[it->second];
}

std::vector<const v1::Area*> AreaTree::Ancestry(std::string_view id) const {
  std::vector<const v1::Area*> chain;
  // The depth is bounded by the number of areas, which also stops a cycle.
  for (const v1::Area* area = Find(id);
       area != nullptr && chain.size() <= areas_.size();
       area = Find(area->parent_id())) {
    chain.push_back(area);
  }
  return chain;
}

bool AreaTree::IsWithin(std::string_view id,
                        std::string_view ancestor_id) const {
  const v1::Area* area = Find(id);
  // The depth is bounded by the number of areas, which also stops a cycle.
  for (size_t steps = 0; area != nullptr && steps <= areas_.size(); ++steps) {
    if (area->id() == ancestor_id) return true;
    area = Find(area->parent_id());
  }
  return false;
}

std::vector<v1::Area> AreaTree::Subtree(std::string_view root_id,
                                        std::string_view date) const {
  std::vector<v1::Area> out;
  if (root_id.empty()) {
    for (size_t root : roots_) AppendSubtree(root, date, out);
    return out;
  }
  auto it = index_.find(absl::string_view(root_id.data(), root_id.size()));
  if (it != index_.end()) AppendSubtree(it->second, date, out);
  return out;
}

void AreaTree::AppendSubtree(size_t index, std::string_view date,
                             std::vector<v1::Area>& out) const {
  if (!ValidOn(areas_[index], date)) return;
  out.push_back(areas_[index]);
  for (size_t child : children_[index]) AppendSubtree(child, date, out);
}

}  // namespace fieldsync
