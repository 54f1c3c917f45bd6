#include "sync/scopes.h"

#include "absl/strings/str_cat.h"

namespace fieldsync {
namespace {

// "district/<id>" and "commune/<id>" for the area and everything above it.
void AddAreaScopes(std::string_view area_id, const AreaTree& areas,
                   std::vector<std::string>& scopes) {
  for (const v1::Area* area : areas.Ancestry(area_id)) {
    if (area->level() == v1::AREA_LEVEL_DISTRICT) {
      scopes.push_back(absl::StrCat("district/", area->id()));
    } else if (area->level() == v1::AREA_LEVEL_COMMUNE) {
      scopes.push_back(absl::StrCat("commune/", area->id()));
    }
  }
}

}  // namespace

std::vector<std::string> AreaScopes(std::string_view area_id,
                                    const AreaTree& areas) {
  std::vector<std::string> scopes = {kProvinceScope};
  AddAreaScopes(area_id, areas, scopes);
  return scopes;
}

std::vector<std::string> ScopesOf(const v1::Document& doc,
                                  const AreaTree& areas) {
  std::vector<std::string> scopes = {kProvinceScope};
  switch (doc.body_case()) {
    case v1::Document::kModel:
      if (doc.model().level() == v1::MODEL_LEVEL_DISTRICT) {
        scopes.push_back(
            absl::StrCat("district/", doc.model().owner_area_id()));
        scopes.push_back(
            absl::StrCat("catalogue/", doc.model().owner_area_id()));
      } else {
        scopes.push_back(kCatalogueScope);
      }
      break;
    case v1::Document::kArea:
    case v1::Document::kSector:
      scopes.push_back(kCatalogueScope);
      break;
    case v1::Document::kReport:
      AddAreaScopes(doc.report().area_id(), areas, scopes);
      break;
    case v1::Document::kProposal:
      AddAreaScopes(doc.proposal().area_id(), areas, scopes);
      break;
    case v1::Document::kDevice:
      scopes = {kServerOnlyScope};
      break;
    case v1::Document::BODY_NOT_SET:
      break;
  }
  return scopes;
}

}  // namespace fieldsync
