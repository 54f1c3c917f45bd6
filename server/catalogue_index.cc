#include "server/catalogue_index.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/page_token.h"
#include "sync/field_error.h"
#include "sync/keys.h"
#include "sync/model_filter.h"
#include "sync/status_macros.h"
#include "sync/text_fold.h"

namespace fieldsync::server {
namespace {

std::string Quote(std::string_view text) {
  return absl::StrCat("\"", std::string(text), "\"");
}

// A request with its paging fields cleared: what a page token is bound to.
uint64_t FiltersOf(const v1::ListModelsRequest& request) {
  v1::ListModelsRequest filters = request;
  filters.clear_page_size();
  filters.clear_page_token();
  return FilterFingerprint(filters);
}

}  // namespace

absl::StatusOr<CatalogueIndex> CatalogueIndex::Load(Store& store) {
  CatalogueIndex index;
  FS_RETURN_IF_ERROR(
      store.ScanDocs(DocKeyPrefix(kModelKind), [&](const v1::Document& doc) {
        if (!doc.has_model() || doc.deleted()) return true;
        Entry entry;
        entry.model = doc.model();
        entry.version = doc.version();
        std::string text = ModelSearchText(entry.model);
        entry.folded = FoldForSearch(text, FoldMode::kIgnoreDiacritics);
        entry.folded_marks = FoldForSearch(text, FoldMode::kKeepDiacritics);
        index.entries_.push_back(std::move(entry));
        return true;
      }));
  std::sort(index.entries_.begin(), index.entries_.end(),
            [](const Entry& a, const Entry& b) {
              return a.model.id() < b.model.id();
            });

  // Areas are stored by key; AreaTree restores the source's order from
  // each area's `position`.
  std::vector<v1::Area> areas;
  FS_RETURN_IF_ERROR(
      store.ScanDocs(DocKeyPrefix(kAreaKind), [&](const v1::Document& doc) {
        if (doc.has_area() && !doc.deleted()) areas.push_back(doc.area());
        return true;
      }));
  FS_ASSIGN_OR_RETURN(index.areas_, AreaTree::Build(std::move(areas)));

  FS_RETURN_IF_ERROR(
      store.ScanDocs(DocKeyPrefix(kSectorKind), [&](const v1::Document& doc) {
        if (doc.has_sector() && !doc.deleted()) {
          index.sectors_.push_back(doc.sector());
        }
        return true;
      }));
  return index;
}

absl::Status CatalogueIndex::ValidateFilters(
    const v1::ListModelsRequest& request) const {
  if (!v1::ModelLevel_IsValid(request.level())) {
    return InvalidFieldError(
        "level", absl::StrCat(request.level(), " is not a ModelLevel"));
  }
  if (!v1::ModelStatus_IsValid(request.status())) {
    return InvalidFieldError(
        "status", absl::StrCat(request.status(), " is not a ModelStatus"));
  }
  if (!request.area_id().empty() && areas_.Find(request.area_id()) == nullptr) {
    return InvalidFieldError(
        "area_id", absl::StrCat("unknown area ", Quote(request.area_id()),
                                "; `fieldsync areas` lists the area ids"));
  }
  if (!request.sector_slug().empty() &&
      std::none_of(sectors_.begin(), sectors_.end(), [&](const v1::Sector& s) {
        return s.slug() == request.sector_slug();
      })) {
    return InvalidFieldError(
        "sector_slug",
        absl::StrCat("unknown sector ", Quote(request.sector_slug()),
                     "; `fieldsync sectors` lists the sector ids"));
  }
  if (request.page_size() < 0 || request.page_size() > kMaxPageSize) {
    return InvalidFieldError(
        "page_size",
        absl::StrCat(request.page_size(), " is outside the allowed range 0..",
                     kMaxPageSize));
  }
  if (request.search().size() > kMaxSearchBytes) {
    return InvalidFieldError(
        "search", absl::StrCat("is ", request.search().size(),
                               " bytes long; the limit is ", kMaxSearchBytes));
  }
  if (!IsValidUtf8(request.search())) {
    return InvalidFieldError("search", "is not valid UTF-8");
  }
  return absl::OkStatus();
}

bool CatalogueIndex::Matches(const Entry& entry,
                             const v1::ListModelsRequest& request,
                             const std::string& folded_query) const {
  if (!ModelPassesFilters(entry.model, request, areas_)) return false;
  const std::string& haystack =
      request.match_diacritics() ? entry.folded_marks : entry.folded;
  return FoldedContains(haystack, folded_query);
}

absl::StatusOr<v1::ListModelsResponse> CatalogueIndex::ListModels(
    const v1::ListModelsRequest& request,
    const ModelVisibility& visible) const {
  FS_RETURN_IF_ERROR(ValidateFilters(request));
  const uint64_t fingerprint = FiltersOf(request);
  std::string after_id;
  if (!request.page_token().empty()) {
    FS_ASSIGN_OR_RETURN(v1::PageToken token,
                        DecodePageToken(request.page_token(), fingerprint));
    after_id = token.after_id();
  }
  const int page_size =
      request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  const std::string folded_query =
      FoldForSearch(request.search(), request.match_diacritics()
                                          ? FoldMode::kKeepDiacritics
                                          : FoldMode::kIgnoreDiacritics);

  v1::ListModelsResponse response;
  int total = 0;
  for (const Entry& entry : entries_) {
    if (visible && !visible(entry.model)) continue;
    if (!Matches(entry, request, folded_query)) continue;
    ++total;
    if (!after_id.empty() && entry.model.id() <= after_id) continue;
    if (response.models_size() < page_size) {
      *response.add_models() = entry.model;
    } else if (response.next_page_token().empty()) {
      v1::PageToken token;
      token.set_after_id(response.models(response.models_size() - 1).id());
      token.set_filter_fingerprint(fingerprint);
      response.set_next_page_token(EncodePageToken(token));
    }
  }
  response.set_total_size(total);
  return response;
}

absl::StatusOr<v1::GetModelResponse> CatalogueIndex::GetModel(
    const v1::GetModelRequest& request, const ModelVisibility& visible) const {
  if (request.id().empty()) return InvalidFieldError("id", "is empty");
  auto it = std::lower_bound(
      entries_.begin(), entries_.end(), request.id(),
      [](const Entry& e, const std::string& id) { return e.model.id() < id; });
  // An entry the caller may not see does not exist for it.
  if (it == entries_.end() || it->model.id() != request.id() ||
      (visible && !visible(it->model))) {
    return absl::NotFoundError(
        absl::StrCat("no catalogue model with id ", Quote(request.id())));
  }
  v1::GetModelResponse response;
  *response.mutable_model() = it->model;
  response.set_version(it->version);
  return response;
}

absl::StatusOr<v1::ListAreasResponse> CatalogueIndex::ListAreas(
    const v1::ListAreasRequest& request) const {
  if (!request.root_id().empty() && areas_.Find(request.root_id()) == nullptr) {
    return InvalidFieldError(
        "root_id", absl::StrCat("unknown area ", Quote(request.root_id())));
  }
  if (!request.as_of().empty() && !IsIsoDate(request.as_of())) {
    return InvalidFieldError("as_of",
                             absl::StrCat(Quote(request.as_of()),
                                          " is not a date written YYYY-MM-DD"));
  }
  v1::ListAreasResponse response;
  for (v1::Area& area : areas_.Subtree(request.root_id(), request.as_of())) {
    *response.add_areas() = std::move(area);
  }
  return response;
}

v1::ListSectorsResponse CatalogueIndex::ListSectors() const {
  v1::ListSectorsResponse response;
  for (const v1::Sector& sector : sectors_) *response.add_sectors() = sector;
  return response;
}

ModelVisibility VisibleTo(const std::vector<std::string>& scopes) {
  auto has = [scopes](const std::string& scope) {
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
  };
  if (has("province")) return nullptr;
  return [has](const v1::Model& m) {
    if (m.level() == v1::MODEL_LEVEL_PROVINCE) return has("catalogue");
    return has("catalogue/" + m.owner_area_id()) ||
           has("district/" + m.owner_area_id());
  };
}

std::vector<const v1::Model*> CatalogueIndex::Models() const {
  std::vector<const v1::Model*> models;
  models.reserve(entries_.size());
  for (const Entry& entry : entries_) models.push_back(&entry.model);
  return models;
}

const v1::Model* CatalogueIndex::FindModel(std::string_view id) const {
  auto it = std::lower_bound(
      entries_.begin(), entries_.end(), id,
      [](const Entry& e, std::string_view key) { return e.model.id() < key; });
  return it != entries_.end() && it->model.id() == id ? &it->model : nullptr;
}

const v1::Sector* CatalogueIndex::FindSector(std::string_view slug) const {
  for (const v1::Sector& sector : sectors_) {
    if (sector.slug() == slug) return &sector;
  }
  return nullptr;
}

}  // namespace fieldsync::server
