#include "sync/area_tree.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "sync/error_info.h"
#include "sync/field_error.h"
#include "sync/mutation_reason.h"

namespace fieldsync {
namespace {

bool Ends(const v1::AreaLineage& link) {
  return link.kind() == v1::LINEAGE_KIND_MERGED_INTO ||
         link.kind() == v1::LINEAGE_KIND_DISSOLVED_INTO;
}

// The name `area` had on `date`: the former name of the first rename after
// it, if any (renames of unknown date are not placed in time).
const std::string* FormerNameOn(const v1::Area& area, std::string_view date) {
  const v1::AreaLineage* first = nullptr;
  for (const v1::AreaLineage& link : area.lineage()) {
    if (link.kind() != v1::LINEAGE_KIND_RENAMED_FROM ||
        link.effective_date().empty() || link.effective_date() <= date) {
      continue;
    }
    if (first == nullptr || link.effective_date() < first->effective_date()) {
      first = &link;
    }
  }
  return first == nullptr ? nullptr : &first->former_name();
}

}  // namespace

const std::string& ParentOn(const v1::Area& area, std::string_view date) {
  if (!date.empty()) {
    for (const v1::FormerParent& former : area.former_parents()) {
      if (date < former.until()) return former.parent_id();
    }
  }
  return area.parent_id();
}

std::string DateInVietnam(int64_t micros) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMicros(micros),
                          absl::FixedTimeZone(7 * 60 * 60));
}

// ISO dates compare correctly as strings; empty bounds are open.
bool IsValidOn(const v1::Area& area, std::string_view date) {
  if (date.empty()) return true;
  if (!area.valid_from().empty() && date < area.valid_from()) return false;
  if (!area.valid_until().empty() && date >= area.valid_until()) return false;
  return true;
}

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
  tree.absorbed_.resize(tree.areas_.size());
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
    // Under each parent it ever had, once.
    std::vector<const std::string*> parents = {&parent};
    for (const v1::FormerParent& former : tree.areas_[i].former_parents()) {
      parents.push_back(&former.parent_id());
    }
    for (size_t p = 0; p < parents.size(); ++p) {
      auto it = tree.index_.find(*parents[p]);
      if (it == tree.index_.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "area ", tree.areas_[i].id(), " has unknown parent ", *parents[p]));
      }
      std::vector<size_t>& siblings = tree.children_[it->second];
      if (std::find(siblings.begin(), siblings.end(), i) == siblings.end()) {
        siblings.push_back(i);
      }
    }
  }
  for (size_t i = 0; i < tree.areas_.size(); ++i) {
    for (const v1::AreaLineage& link : tree.areas_[i].lineage()) {
      if (!Ends(link)) continue;
      auto it = tree.index_.find(link.area_id());
      if (it == tree.index_.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("area ", tree.areas_[i].id(),
                         " ended into unknown area ", link.area_id()));
      }
      tree.absorbed_[it->second].emplace_back(i, link.effective_date());
    }
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
  const v1::Area& area = areas_[index];
  if (!IsValidOn(area, date)) return;
  v1::Area& copy = out.emplace_back(area);
  copy.set_parent_id(ParentOn(area, date));
  if (const std::string* former = FormerNameOn(area, date)) {
    copy.set_full_name(*former);
    const std::string prefix = absl::StrCat(area.type_vi(), " ");
    copy.set_name(absl::StartsWith(*former, prefix)
                      ? former->substr(prefix.size())
                      : *former);
  }
  // The depth is bounded: a child is listed under a parent only on the
  // dates it is that parent's child, and parents of one date form a tree.
  if (out.size() > areas_.size()) return;
  for (size_t child : children_[index]) {
    if (date.empty() ? areas_[child].parent_id() == area.id()
                     : ParentOn(areas_[child], date) == area.id()) {
      AppendSubtree(child, date, out);
    }
  }
}

std::string AreaTree::FullNameOn(std::string_view id,
                                 std::string_view date) const {
  const v1::Area* area = Find(id);
  if (area == nullptr) return "";
  const std::string* former = FormerNameOn(*area, date);
  return former != nullptr ? *former : area->full_name();
}

const v1::AreaLineage* AreaTree::EndOf(std::string_view id) const {
  const v1::Area* area = Find(id);
  if (area == nullptr) return nullptr;
  for (const v1::AreaLineage& link : area->lineage()) {
    if (Ends(link)) return &link;
  }
  return nullptr;
}

const v1::Area* AreaTree::RollupTargetOn(std::string_view id,
                                         std::string_view date) const {
  const v1::Area* area = Find(id);
  // Bounded by the number of areas, which also stops a cycle.
  for (size_t steps = 0; area != nullptr && steps <= areas_.size(); ++steps) {
    if (IsValidOn(*area, date)) return area;
    const v1::AreaLineage* end = EndOf(area->id());
    if (end == nullptr || end->effective_date() > date) return nullptr;
    area = Find(end->area_id());
  }
  return nullptr;
}

std::vector<std::string> AreaTree::AbsorbedInto(
    std::string_view id,
    const std::function<bool(size_t, const std::string&)>& keep) const {
  std::vector<std::string> out;
  auto it = index_.find(absl::string_view(id.data(), id.size()));
  if (it == index_.end()) return out;
  std::vector<size_t> pending = {it->second};
  // Bounded by the number of areas, which also stops a cycle.
  while (!pending.empty() && out.size() <= areas_.size()) {
    const size_t at = pending.back();
    pending.pop_back();
    for (const auto& [source, since] : absorbed_[at]) {
      if (!keep(source, since)) continue;
      out.push_back(areas_[source].id());
      pending.push_back(source);
    }
  }
  return out;
}

std::vector<std::string> AreaTree::ContributorsOn(std::string_view id,
                                                  std::string_view date) const {
  return AbsorbedInto(id, [date](size_t, const std::string& since) {
    return date.empty() || since <= date;
  });
}

std::string AreaTree::MergedSuccessorOn(std::string_view id,
                                        std::string_view date) const {
  std::string at(id);
  for (size_t steps = 0; steps <= areas_.size(); ++steps) {
    const v1::AreaLineage* end = EndOf(at);
    if (end == nullptr || end->kind() != v1::LINEAGE_KIND_MERGED_INTO ||
        end->effective_date() > date) {
      break;
    }
    at = end->area_id();
  }
  return at;
}

std::vector<std::string> AreaTree::MergedFrom(std::string_view id) const {
  return AbsorbedInto(id, [this](size_t source, const std::string&) {
    const v1::AreaLineage* end = EndOf(areas_[source].id());
    return end != nullptr && end->kind() == v1::LINEAGE_KIND_MERGED_INTO;
  });
}

absl::StatusOr<AreaTree> AreaTree::With(std::vector<v1::Area> changed) const {
  std::vector<v1::Area> areas = areas_;
  for (v1::Area& area : changed) {
    auto it = index_.find(area.id());
    if (it != index_.end()) {
      areas[it->second] = std::move(area);
    } else {
      areas.push_back(std::move(area));
    }
  }
  return Build(std::move(areas));
}

}  // namespace fieldsync

namespace fieldsync {
namespace {

// An area that does not exist on the date: AREA_SUPERSEDED, with the area
// its work went to, when there is one, in the ErrorInfo's metadata.
absl::Status NotOnDate(std::string_view field, std::string_view description,
                       const std::string& successor = "") {
  std::map<std::string, std::string> metadata;
  if (!successor.empty()) metadata["successor_area_id"] = successor;
  return WithReason(InvalidFieldError(field, description),
                    MutationReasonName(v1::MUTATION_REASON_AREA_SUPERSEDED),
                    metadata);
}

}  // namespace

absl::Status CheckAreaOn(std::string_view field, const std::string& area_id,
                         std::string_view date, const AreaTree& areas) {
  const v1::Area* area = areas.Find(area_id);
  if (area == nullptr) {
    return FieldError(absl::StatusCode::kNotFound, field,
                      absl::StrCat("no area \"", area_id, "\""));
  }
  if (IsValidOn(*area, date)) return absl::OkStatus();
  const absl::string_view day(date.data(), date.size());
  if (!area->valid_from().empty() && date < area->valid_from()) {
    return NotOnDate(
        field, absl::StrCat("\"", area_id, "\" does not exist yet on ", day,
                            " (from ", area->valid_from(), ")"));
  }
  const v1::AreaLineage* end = areas.EndOf(area_id);
  if (end == nullptr) {
    return NotOnDate(field,
                     absl::StrCat("\"", area_id, "\" no longer exists (ended ",
                                  area->valid_until(), ")"));
  }
  const v1::Area* next = areas.Find(end->area_id());
  const std::string next_name =
      next == nullptr
          ? end->area_id()
          : absl::StrCat(end->area_id(), " (", next->full_name(), ")");
  if (end->kind() == v1::LINEAGE_KIND_MERGED_INTO) {
    return NotOnDate(
        field,
        absl::StrCat("\"", area_id, "\" no longer exists: it was merged into ",
                     next_name, " on ", end->effective_date(), "; use ",
                     end->area_id()),
        end->area_id());
  }
  return NotOnDate(
      field,
      absl::StrCat("\"", area_id, "\" no longer exists: it was dissolved into ",
                   next_name, " on ", end->effective_date()),
      end->area_id());
}

}  // namespace fieldsync
