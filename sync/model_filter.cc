#include "sync/model_filter.h"

#include <vector>

#include "absl/strings/str_join.h"

namespace fieldsync {

std::string ModelSearchText(const v1::Model& m) {
  std::vector<std::string> parts = {m.id(), m.name()};
  for (const std::string* s :
       {&m.implementer(), &m.context(), &m.results(), &m.issues(),
        &m.plan_2021_2025(), &m.recommendation(), &m.name_detail(),
        &m.implementer_detail()}) {
    if (!s->empty()) parts.push_back(*s);
  }
  // A separator no folded text contains keeps a phrase from spanning columns.
  return absl::StrJoin(parts, " | ");
}

bool ModelPassesFilters(const v1::Model& m,
                        const v1::ListModelsRequest& request,
                        const AreaTree& areas) {
  if (request.level() != v1::MODEL_LEVEL_UNSPECIFIED &&
      m.level() != request.level()) {
    return false;
  }
  if (request.status() != v1::MODEL_STATUS_UNSPECIFIED &&
      m.status() != request.status()) {
    return false;
  }
  if (!request.sector_slug().empty() &&
      m.sector_slug() != request.sector_slug()) {
    return false;
  }
  return request.area_id().empty() ||
         areas.IsWithin(m.owner_area_id(), request.area_id());
}

}  // namespace fieldsync
