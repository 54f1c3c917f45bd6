#include "server/overview.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"

namespace fieldsync::server {
namespace {

// "MODEL_STATUS_CONTINUING" -> "continuing".
std::string StatusId(v1::ModelStatus status) {
  return absl::AsciiStrToLower(absl::StrReplaceAll(v1::ModelStatus_Name(status),
                                                   {{"MODEL_STATUS_", ""}}));
}

void SetShares(google::protobuf::RepeatedPtrField<v1::OverviewCount>& lines,
               int total) {
  for (v1::OverviewCount& line : lines) {
    line.set_share(total == 0 ? 0 : static_cast<double>(line.models()) / total);
  }
}

}  // namespace

v1::GetOverviewResponse Overview(const CatalogueIndex& index,
                                 const ModelVisibility& visible,
                                 const std::string& as_of) {
  std::map<std::string, int> by_sector, by_district;
  std::map<v1::ModelStatus, int> by_status;
  v1::GetOverviewResponse out;
  out.set_as_of(as_of);
  for (const v1::Model* model : index.Models()) {
    if (visible != nullptr && !visible(*model)) continue;
    ++by_status[model->status()];
    if (model->level() == v1::MODEL_LEVEL_PROVINCE) {
      out.set_province_models(out.province_models() + 1);
      ++by_sector[model->sector_slug()];
    } else {
      out.set_district_models(out.district_models() + 1);
      ++by_district[model->owner_area_id()];
    }
  }
  const v1::ListSectorsResponse sectors = index.ListSectors();
  for (const v1::Sector& sector : sectors.sectors()) {
    v1::OverviewCount& line = *out.add_province_by_sector();
    line.set_id(sector.slug());
    line.set_name(sector.title());
    line.set_models(by_sector[sector.slug()]);
  }
  for (const v1::Area& area : index.areas().Subtree("", as_of)) {
    if (area.level() != v1::AREA_LEVEL_DISTRICT) continue;
    v1::OverviewCount& line = *out.add_district_by_area();
    line.set_id(area.id());
    line.set_name(area.full_name());
    line.set_models(by_district[area.id()]);
  }
  for (const auto& [status, count] : by_status) {
    v1::OverviewCount& line = *out.add_by_status();
    line.set_id(StatusId(status));
    line.set_models(count);
  }
  SetShares(*out.mutable_province_by_sector(), out.province_models());
  SetShares(*out.mutable_district_by_area(), out.district_models());
  SetShares(*out.mutable_by_status(),
            out.province_models() + out.district_models());
  return out;
}

}  // namespace fieldsync::server
