#include "sync/area_changes.h"

#include <cctype>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sync/field_error.h"
#include "sync/status_macros.h"

namespace fieldsync {

v1::AreaType AreaTypeOfName(std::string_view full_name, std::string* type_vi) {
  static const std::pair<const char*, v1::AreaType> kPrefixes[] = {
      {"Thành phố", v1::AREA_TYPE_THANH_PHO},
      {"Thị trấn", v1::AREA_TYPE_THI_TRAN},
      {"Phường", v1::AREA_TYPE_PHUONG},
      {"Huyện", v1::AREA_TYPE_HUYEN},
      {"Tỉnh", v1::AREA_TYPE_TINH},
      {"Khóm", v1::AREA_TYPE_KHOM},
      {"Xã", v1::AREA_TYPE_XA},
      {"Ấp", v1::AREA_TYPE_AP},
  };
  const absl::string_view name(full_name.data(), full_name.size());
  for (const auto& [prefix, type] : kPrefixes) {
    if (absl::StartsWith(name, absl::StrCat(prefix, " "))) {
      if (type_vi != nullptr) *type_vi = prefix;
      return type;
    }
  }
  return v1::AREA_TYPE_UNSPECIFIED;
}

namespace {

// "commune" for AREA_LEVEL_COMMUNE: how the mapping table writes it.
std::string LevelWord(v1::AreaLevel level) {
  std::string name = v1::AreaLevel_Name(level);
  constexpr std::string_view kPrefix = "AREA_LEVEL_";
  if (name.rfind(kPrefix, 0) == 0) name = name.substr(kPrefix.size());
  for (char& c : name) c = static_cast<char>(std::tolower(c));
  return name;
}

bool IsAreaId(std::string_view id) {
  if (id.empty() || id.size() > 100) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

// The areas as the rows leave them: the tree's areas, copied once, with the
// rows' changes on top.
class Draft {
 public:
  explicit Draft(const AreaTree& tree) : areas_(tree.all()) {
    for (size_t i = 0; i < areas_.size(); ++i)
      index_.emplace(areas_[i].id(), i);
    children_.resize(areas_.size());
    for (size_t i = 0; i < areas_.size(); ++i) {
      LinkChild(areas_[i].parent_id(), i);
      for (const v1::FormerParent& former : areas_[i].former_parents()) {
        LinkChild(former.parent_id(), i);
      }
    }
    touched_.resize(areas_.size());
  }

  v1::Area* Find(std::string_view id) {
    auto it = index_.find(absl::string_view(id.data(), id.size()));
    return it == index_.end() ? nullptr : &Touch(it->second);
  }

  const v1::Area* Peek(std::string_view id) const {
    auto it = index_.find(absl::string_view(id.data(), id.size()));
    return it == index_.end() ? nullptr : &areas_[it->second];
  }

  v1::Area& Add(v1::Area area) {
    const size_t i = areas_.size();
    index_.emplace(area.id(), i);
    areas_.push_back(std::move(area));
    children_.emplace_back();
    touched_.push_back(false);
    LinkChild(areas_[i].parent_id(), i);
    return Touch(i);
  }

  // The children of `id` valid on `date` and under it that day.
  std::vector<std::string> ChildrenOn(const std::string& id,
                                      std::string_view date) const {
    std::vector<std::string> out;
    auto it = index_.find(id);
    if (it == index_.end()) return out;
    for (size_t child : children_[it->second]) {
      if (IsValidOn(areas_[child], date) &&
          ParentOn(areas_[child], date) == id) {
        out.push_back(areas_[child].id());
      }
    }
    return out;
  }

  // True if `id` is `ancestor` or lies below it on `date`.
  bool IsBelowOn(std::string_view id, std::string_view ancestor,
                 std::string_view date) const {
    const v1::Area* area = Peek(id);
    for (size_t steps = 0; area != nullptr && steps <= areas_.size(); ++steps) {
      if (area->id() == ancestor) return true;
      area = Peek(ParentOn(*area, date));
    }
    return false;
  }

  // Puts `child` under `parent` from `date` on, keeping the old parent as a
  // former one unless the child only begins that day.
  void Move(const std::string& child_id, const std::string& parent_id,
            const std::string& date) {
    v1::Area& child = *Find(child_id);
    if (child.valid_from() < date) {
      v1::FormerParent* former = child.add_former_parents();
      former->set_parent_id(child.parent_id());
      former->set_until(date);
    }
    child.set_parent_id(parent_id);
    LinkChild(parent_id, index_.at(child_id));
  }

  // The areas of `level` valid on `date` and not yet ended.
  std::vector<const v1::Area*> OfLevelOn(v1::AreaLevel level,
                                         std::string_view date) const {
    std::vector<const v1::Area*> out;
    for (const v1::Area& area : areas_) {
      if (area.level() == level && IsValidOn(area, date) &&
          area.valid_until().empty()) {
        out.push_back(&area);
      }
    }
    return out;
  }

  std::vector<v1::Area> Result() const {
    std::vector<v1::Area> out;
    out.reserve(order_.size());
    for (size_t i : order_) out.push_back(areas_[i]);
    return out;
  }

 private:
  v1::Area& Touch(size_t i) {
    if (!touched_[i]) {
      touched_[i] = true;
      order_.push_back(i);
    }
    return areas_[i];
  }

  void LinkChild(const std::string& parent, size_t child) {
    auto it = index_.find(parent);
    if (it == index_.end()) return;
    std::vector<size_t>& siblings = children_[it->second];
    if (std::find(siblings.begin(), siblings.end(), child) == siblings.end()) {
      siblings.push_back(child);
    }
  }

  std::vector<v1::Area> areas_;
  absl::flat_hash_map<std::string, size_t> index_;
  std::vector<std::vector<size_t>> children_;
  std::vector<bool> touched_;
  std::vector<size_t> order_;
};

// Applies one row; errors name the row and the field.
class RowApplier {
 public:
  RowApplier(Draft& draft, const v1::AreaChange& change, size_t index)
      : draft_(draft), change_(change), index_(index) {}

  absl::Status Apply() {
    // An added area may be older than the records: no first day.
    const bool undated_add = change_.action() == v1::AREA_CHANGE_ACTION_ADD &&
                             change_.valid_from().empty();
    if (!undated_add && !IsIsoDate(change_.valid_from())) {
      return Error("valid_from", absl::StrCat("\"", change_.valid_from(),
                                              "\" is not a date YYYY-MM-DD"));
    }
    switch (change_.action()) {
      case v1::AREA_CHANGE_ACTION_MERGE:
        return Merge();
      case v1::AREA_CHANGE_ACTION_SPLIT:
        return Split();
      case v1::AREA_CHANGE_ACTION_RENAME:
        return Rename();
      case v1::AREA_CHANGE_ACTION_DISSOLVE:
        return Dissolve(change_.old_area_id(), change_.new_area_id());
      case v1::AREA_CHANGE_ACTION_ADD:
        return Add();
      case v1::AREA_CHANGE_ACTION_DISSOLVE_LEVEL:
        return DissolveLevel();
      default:
        return Error("action",
                     "is not merge, split, rename, dissolve, add "
                     "or dissolve_level");
    }
  }

 private:
  const std::string& date() const { return change_.valid_from(); }

  absl::Status Error(absl::string_view field, absl::string_view message) const {
    return InvalidFieldError(
        absl::StrCat("changes[", index_, "].", field),
        absl::StrCat("row ", change_.row() > 0 ? change_.row() : index_ + 1,
                     ": ", message));
  }

  // The area `id` of `field`, which must exist and be valid on the date.
  // Read only: a row touches what it changes.
  absl::StatusOr<const v1::Area*> Existing(absl::string_view field,
                                           const std::string& id) {
    if (id.empty()) return Error(field, "is required");
    const v1::Area* area = draft_.Peek(id);
    if (area == nullptr) {
      return Error(field, absl::StrCat("no area \"", id,
                                       "\"; add it first (action add)"));
    }
    if (!IsValidOn(*area, date())) {
      return Error(
          field, absl::StrCat(
                     id, " does not exist on ", date(),
                     area->valid_until().empty()
                         ? absl::StrCat(" (from ", area->valid_from(), ")")
                         : absl::StrCat(" (ended ", area->valid_until(), ")")));
    }
    if (!area->valid_until().empty()) {
      return Error(field,
                   absl::StrCat(id, " already ends on ", area->valid_until()));
    }
    return area;
  }

  // A new area `id` named and placed from the row.
  absl::StatusOr<v1::Area*> Made(absl::string_view field, const std::string& id,
                                 v1::AreaLevel level,
                                 const std::string& parent_id) {
    if (!IsAreaId(id)) {
      return Error(
          field, absl::StrCat("\"", id, "\" is not an area id (a-z, 0-9, -)"));
    }
    if (draft_.Peek(id) != nullptr) {
      return Error(field, absl::StrCat("area \"", id, "\" exists already"));
    }
    if (change_.new_area_name().empty()) {
      return Error("new_area_name", absl::StrCat("is required to make ", id));
    }
    if (level == v1::AREA_LEVEL_UNSPECIFIED) {
      return Error("new_area_level", absl::StrCat("is required to make ", id));
    }
    const v1::Area* parent = draft_.Peek(parent_id);
    if (parent != nullptr && parent->level() >= level) {
      return Error(
          "new_area_level",
          absl::StrCat(LevelWord(level), " cannot lie under ", parent_id, " (",
                       LevelWord(parent->level()), ")"));
    }
    v1::Area area;
    area.set_id(id);
    area.set_parent_id(parent_id);
    area.set_level(level);
    std::string type_vi;
    area.set_type(AreaTypeOfName(change_.new_area_name(), &type_vi));
    area.set_type_vi(type_vi);
    area.set_full_name(change_.new_area_name());
    area.set_name(type_vi.empty()
                      ? change_.new_area_name()
                      : change_.new_area_name().substr(type_vi.size() + 1));
    area.set_path(parent == nullptr ? id
                                    : absl::StrCat(parent->path(), "/", id));
    area.set_valid_from(date());
    if (!change_.source().empty()) {
      area.add_notes(absl::StrCat("source: ", change_.source()));
    }
    return &draft_.Add(std::move(area));
  }

  static void Link(v1::Area& area, v1::LineageKind kind, const std::string& id,
                   const std::string& date) {
    v1::AreaLineage* link = area.add_lineage();
    link->set_kind(kind);
    link->set_area_id(id);
    link->set_effective_date(date);
  }

  // Ends `old_id` on the date, moving its children under `new_id`.
  absl::Status End(const std::string& old_id, const std::string& new_id,
                   v1::LineageKind ends, v1::LineageKind takes) {
    if (draft_.IsBelowOn(new_id, old_id, date())) {
      return Error("new_area_id",
                   absl::StrCat(new_id, " lies within ", old_id, " on ", date(),
                                ": the change makes a cycle"));
    }
    for (const std::string& child : draft_.ChildrenOn(old_id, date())) {
      const v1::Area* c = draft_.Peek(child);
      if (c->former_parents_size() > 0 &&
          c->former_parents(c->former_parents_size() - 1).until() > date()) {
        return Error(
            "valid_from",
            absl::StrCat(
                child, " already moved on ",
                c->former_parents(c->former_parents_size() - 1).until(),
                "; apply the rows in date order"));
      }
      draft_.Move(child, new_id, date());
    }
    v1::Area& old_area = *draft_.Find(old_id);
    old_area.set_valid_until(date());
    Link(old_area, ends, new_id, date());
    Link(*draft_.Find(new_id), takes, old_id, date());
    return absl::OkStatus();
  }

  absl::Status Merge() {
    FS_ASSIGN_OR_RETURN(const v1::Area* old_area,
                        Existing("old_area_id", change_.old_area_id()));
    const v1::AreaLevel level = old_area->level();
    const std::string parent = ParentOn(*old_area, date());
    if (change_.new_area_id() == change_.old_area_id()) {
      return Error("new_area_id", "an area cannot merge into itself");
    }
    if (draft_.Peek(change_.new_area_id()) == nullptr) {
      FS_RETURN_IF_ERROR(
          Made("new_area_id", change_.new_area_id(),
               change_.new_area_level() == v1::AREA_LEVEL_UNSPECIFIED
                   ? level
                   : change_.new_area_level(),
               parent)
              .status());
      v1::Area& made = *draft_.Find(change_.new_area_id());
      made.set_position(draft_.Peek(change_.old_area_id())->position());
    }
    FS_RETURN_IF_ERROR(
        CheckNoCycle(change_.old_area_id(), change_.new_area_id()));
    FS_ASSIGN_OR_RETURN(const v1::Area* new_area,
                        Existing("new_area_id", change_.new_area_id()));
    if (new_area->level() != level) {
      return Error("new_area_id", absl::StrCat(change_.new_area_id(), " is ",
                                               LevelWord(new_area->level()),
                                               "; ", change_.old_area_id(),
                                               " is ", LevelWord(level)));
    }
    return End(change_.old_area_id(), change_.new_area_id(),
               v1::LINEAGE_KIND_MERGED_INTO, v1::LINEAGE_KIND_MERGED_FROM);
  }

  absl::Status Split() {
    FS_ASSIGN_OR_RETURN(const v1::Area* old_area,
                        Existing("old_area_id", change_.old_area_id()));
    const v1::AreaLevel level =
        change_.new_area_level() == v1::AREA_LEVEL_UNSPECIFIED
            ? old_area->level()
            : change_.new_area_level();
    const std::string parent = change_.parent_id().empty()
                                   ? ParentOn(*old_area, date())
                                   : change_.parent_id();
    if (!change_.parent_id().empty()) {
      FS_RETURN_IF_ERROR(Existing("parent_id", parent).status());
    }
    const int32_t position = old_area->position();
    FS_ASSIGN_OR_RETURN(
        v1::Area * made,
        Made("new_area_id", change_.new_area_id(), level, parent));
    made->set_position(position);
    Link(*made, v1::LINEAGE_KIND_SPLIT_FROM, change_.old_area_id(), date());
    Link(*draft_.Find(change_.old_area_id()), v1::LINEAGE_KIND_SPLIT_INTO,
         change_.new_area_id(), date());
    return absl::OkStatus();
  }

  absl::Status Rename() {
    FS_RETURN_IF_ERROR(Existing("old_area_id", change_.old_area_id()).status());
    if (change_.new_area_name().empty()) {
      return Error("new_area_name", "is required to rename");
    }
    v1::Area* area = draft_.Find(change_.old_area_id());
    v1::AreaLineage* link = area->add_lineage();
    link->set_kind(v1::LINEAGE_KIND_RENAMED_FROM);
    link->set_former_name(area->full_name());
    link->set_effective_date(date());
    std::string type_vi;
    const v1::AreaType type = AreaTypeOfName(change_.new_area_name(), &type_vi);
    if (type != v1::AREA_TYPE_UNSPECIFIED) {
      area->set_type(type);
      area->set_type_vi(type_vi);
    }
    area->set_full_name(change_.new_area_name());
    area->set_name(type_vi.empty()
                       ? change_.new_area_name()
                       : change_.new_area_name().substr(type_vi.size() + 1));
    return absl::OkStatus();
  }

  absl::Status Dissolve(const std::string& old_id, const std::string& new_id) {
    FS_RETURN_IF_ERROR(Existing("old_area_id", old_id).status());
    if (new_id.empty()) {
      return Error("new_area_id",
                   "is required: the area that takes the dissolved one's "
                   "children");
    }
    FS_RETURN_IF_ERROR(CheckNoCycle(old_id, new_id));
    FS_RETURN_IF_ERROR(Existing("new_area_id", new_id).status());
    return End(old_id, new_id, v1::LINEAGE_KIND_DISSOLVED_INTO,
               v1::LINEAGE_KIND_ABSORBED);
  }

  absl::Status Add() {
    if (change_.parent_id().empty()) {
      return Error("parent_id",
                   absl::StrCat("is required to add ", change_.new_area_id()));
    }
    FS_RETURN_IF_ERROR(Existing("parent_id", change_.parent_id()).status());
    return Made("new_area_id", change_.new_area_id(), change_.new_area_level(),
                change_.parent_id())
        .status();
  }

  absl::Status DissolveLevel() {
    const v1::AreaLevel level = change_.new_area_level();
    if (level == v1::AREA_LEVEL_UNSPECIFIED ||
        level == v1::AREA_LEVEL_PROVINCE) {
      return Error("new_area_level",
                   "names the level to dissolve: district, commune or hamlet");
    }
    // Each dissolved area's children move to its parent, so the areas are
    // found before any moves.
    std::vector<std::pair<std::string, std::string>> ends;
    for (const v1::Area* area : draft_.OfLevelOn(level, date())) {
      ends.emplace_back(area->id(), ParentOn(*area, date()));
    }
    if (ends.empty()) {
      return Error("new_area_level", absl::StrCat("no ", LevelWord(level),
                                                  " area exists on ", date()));
    }
    for (const auto& [old_id, parent] : ends) {
      FS_RETURN_IF_ERROR(Dissolve(old_id, parent));
    }
    return absl::OkStatus();
  }

  // Refuses ending `old_id` into `new_id` when `new_id` already ends into
  // `old_id` later: each would count toward the other.
  absl::Status CheckNoCycle(const std::string& old_id,
                            const std::string& new_id) const {
    const v1::Area* at = draft_.Peek(new_id);
    for (size_t steps = 0; at != nullptr && steps < 64; ++steps) {
      const v1::AreaLineage* end = nullptr;
      for (const v1::AreaLineage& link : at->lineage()) {
        if (link.kind() == v1::LINEAGE_KIND_MERGED_INTO ||
            link.kind() == v1::LINEAGE_KIND_DISSOLVED_INTO) {
          end = &link;
        }
      }
      if (end == nullptr) return absl::OkStatus();
      if (end->area_id() == old_id) {
        return Error(
            "valid_from",
            absl::StrCat("the dates make a cycle: ", at->id(), " ends into ",
                         old_id, " on ", end->effective_date(), ", and ",
                         old_id, " would end into ", new_id, " on ", date()));
      }
      at = draft_.Peek(end->area_id());
    }
    return absl::OkStatus();
  }

  Draft& draft_;
  const v1::AreaChange& change_;
  const size_t index_;
};

}  // namespace

absl::StatusOr<std::vector<v1::Area>> ApplyAreaChanges(
    const AreaTree& tree, const std::vector<v1::AreaChange>& changes) {
  Draft draft(tree);
  for (size_t i = 0; i < changes.size(); ++i) {
    FS_RETURN_IF_ERROR(RowApplier(draft, changes[i], i).Apply());
  }
  return draft.Result();
}

}  // namespace fieldsync
