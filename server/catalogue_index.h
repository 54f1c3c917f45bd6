// The catalogue as the read API serves it: every entry with its folded text
// for diacritic-insensitive search, the area tree and the sectors, built from
// the store at start-up. Immutable once built, so any thread may query it.
#ifndef FIELDSYNC_SERVER_CATALOGUE_INDEX_H_
#define FIELDSYNC_SERVER_CATALOGUE_INDEX_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fieldsync/v1/catalogue_service.pb.h"
#include "sync/area_tree.h"
#include "sync/store.h"

namespace fieldsync::server {

// Which catalogue entries a caller may see; null: all of them.
using ModelVisibility = std::function<bool(const v1::Model&)>;

// The entries whose read scopes (a caller's) cover them: provincial entries
// through "catalogue", a district's through "catalogue/<d>" or
// "district/<d>", everything through "province" (null).
ModelVisibility VisibleTo(const std::vector<std::string>& scopes);

// Paging limits of ListModels.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;
// Longest search phrase accepted, in bytes.
inline constexpr size_t kMaxSearchBytes = 200;

class CatalogueIndex {
 public:
  // Reads every model, area and sector document of `store`.
  static absl::StatusOr<CatalogueIndex> Load(Store& store);

  // Filters, searches and pages; InvalidArgument naming the field and value
  // for an unknown area or sector, a page size over the limit, a malformed
  // page token or search text that is not UTF-8.
  absl::StatusOr<v1::ListModelsResponse> ListModels(
      const v1::ListModelsRequest& request,
      const ModelVisibility& visible = nullptr) const;

  // NotFound naming the id if there is no such entry.
  absl::StatusOr<v1::GetModelResponse> GetModel(
      const v1::GetModelRequest& request,
      const ModelVisibility& visible = nullptr) const;

  absl::StatusOr<v1::ListAreasResponse> ListAreas(
      const v1::ListAreasRequest& request) const;

  v1::ListSectorsResponse ListSectors() const;

  // Every entry, by id.
  std::vector<const v1::Model*> Models() const;

  // The entry with `id`, or nullptr.
  const v1::Model* FindModel(std::string_view id) const;
  // The sector with `slug`, or nullptr.
  const v1::Sector* FindSector(std::string_view slug) const;

  size_t model_count() const { return entries_.size(); }
  const AreaTree& areas() const { return areas_; }
  size_t area_count() const { return areas_.size(); }

 private:
  struct Entry {
    v1::Model model;
    uint64_t version = 0;
    std::string folded;        // FoldMode::kIgnoreDiacritics
    std::string folded_marks;  // FoldMode::kKeepDiacritics
  };

  absl::Status ValidateFilters(const v1::ListModelsRequest& request) const;
  bool Matches(const Entry& entry, const v1::ListModelsRequest& request,
               const std::string& folded_query) const;

  std::vector<Entry> entries_;  // sorted by id
  AreaTree areas_;
  std::vector<v1::Sector> sectors_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_CATALOGUE_INDEX_H_
