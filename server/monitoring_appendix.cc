// MonitoringService.ExportAppendix: who may export which tables, the year's
// figures and the printed layout read from the store, and the rows paged.
// The tables themselves are built by appendix_export.h.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/appendix_export.h"
#include "server/monitoring_service.h"
#include "server/page_token.h"
#include "server/seed_loader.h"
#include "sync/access.h"
#include "sync/field_error.h"
#include "sync/status_macros.h"
#include "sync/totals.h"

namespace fieldsync::server {
namespace {

// The year's figures per entry under `area_id`: the live totals grouped by
// model, rolled up along the hierarchy of the year's last day (today for
// this year), so a district dissolved since still has its year's figures.
absl::StatusOr<FiguresByModel> FiguresOf(Store& store, const AreaTree& areas,
                                         const TotalsCatalogue& catalogue,
                                         const std::string& area_id, int year,
                                         const std::string& today) {
  TotalsQuery query{.area_id = area_id,
                    .period = absl::StrCat(year),
                    .by = v1::TOTALS_GROUPING_MODEL,
                    .as_of = std::min(absl::StrCat(year, "-12-31"), today)};
  FS_ASSIGN_OR_RETURN(std::vector<v1::TotalsRow> rows,
                      ComputeTotals(store, areas, catalogue, query));
  FiguresByModel figures;
  for (v1::TotalsRow& row : rows) {
    v1::AppendixFigure figure;
    figure.set_indicator(row.indicator());
    figure.set_unit(row.unit());
    *figure.mutable_submitted() = std::move(*row.mutable_submitted());
    *figure.mutable_accepted() = std::move(*row.mutable_accepted());
    figures[row.group_id()].push_back(std::move(figure));
  }
  return figures;
}

// The layout stored with the seed; empty for a store that has none (every
// entry then lands in the export's last table).
absl::StatusOr<v1::AppendixLayout> StoredLayout(Store& store) {
  FS_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                      store.GetMeta(kAppendixLayoutMetaKey));
  v1::AppendixLayout layout;
  if (bytes.has_value() && !layout.ParseFromString(*bytes)) {
    return absl::DataLossError("the stored appendix layout does not parse");
  }
  return layout;
}

}  // namespace

absl::StatusOr<v1::ExportAppendixResponse> MonitoringService::Appendix(
    const Caller& caller, const v1::ExportAppendixRequest& request) const {
  const std::string today = TodayInVietnam(*options_.clock);
  int this_year = 0;
  if (!absl::SimpleAtoi(today.substr(0, 4), &this_year)) {
    return absl::InternalError(absl::StrCat("today is not a date: ", today));
  }
  if (request.year() < kFirstAppendixYear || request.year() > this_year) {
    return InvalidFieldError(
        "year",
        absl::StrCat(request.year(), " is outside ", kFirstAppendixYear, "..",
                     this_year, " (the report's first period to this year)"));
  }
  if (request.page_size() < 0 || request.page_size() > kMaxAppendixPageSize) {
    return InvalidFieldError(
        "page_size",
        absl::StrCat(request.page_size(), " is outside the allowed range 0..",
                     kMaxAppendixPageSize));
  }
  FS_ASSIGN_OR_RETURN(std::shared_ptr<const CatalogueIndex> index,
                      options_.catalogue->Current());
  const AreaTree& areas = index->areas();
  std::string province_id;
  for (const v1::Area& area : areas.Subtree("", today)) {
    if (area.level() == v1::AREA_LEVEL_PROVINCE) {
      province_id = area.id();
      break;
    }
  }
  // Development mode (no policy) exports like a province admin.
  const v1::Role role =
      caller.policy.has_value() ? caller.role : v1::ROLE_PROVINCE_ADMIN;
  if (!MayExportAppendix(role)) {
    return absl::PermissionDeniedError(
        "only a province admin, an auditor or a district officer may export "
        "the appendix tables");
  }
  const std::string area_id =
      request.area_id().empty()
          ? DefaultAppendixArea(role, caller.area_id, province_id)
          : request.area_id();
  // Outside the caller's reach reads exactly as unknown.
  const v1::Area* area = areas.Find(area_id);
  if (area == nullptr || !MayExportAppendixOf(role, caller.area_id, area_id)) {
    return UnknownAreaError(area_id);
  }
  if (area->level() != v1::AREA_LEVEL_PROVINCE &&
      area->level() != v1::AREA_LEVEL_DISTRICT) {
    return InvalidFieldError(
        "area_id", absl::StrCat("\"", area_id,
                                "\" is not the province or a district-level "
                                "unit: the appendix tables list their models"));
  }

  v1::ExportAppendixRequest filters = request;
  filters.set_area_id(area_id);
  FS_ASSIGN_OR_RETURN(const PageStart page, PageStartOf(filters));
  const uint64_t fingerprint = page.fingerprint;
  const std::string& after = page.after;

  TotalsCatalogue catalogue{
      .model = [&](std::string_view id) { return index->FindModel(id); },
      .sector = [&](std::string_view slug) { return index->FindSector(slug); }};
  FS_ASSIGN_OR_RETURN(FiguresByModel figures,
                      FiguresOf(*options_.store, areas, catalogue, area_id,
                                request.year(), today));
  FS_ASSIGN_OR_RETURN(v1::AppendixLayout layout, StoredLayout(*options_.store));
  const bool whole_province = area->level() == v1::AREA_LEVEL_PROVINCE;
  AppendixExport all = BuildAppendixExport(
      *index, layout,
      [&](const v1::Model& model) {
        return whole_province || model.owner_area_id() == area_id;
      },
      figures);

  v1::ExportAppendixResponse response;
  response.set_year(request.year());
  response.set_area_id(area_id);
  response.set_area_name(area->full_name());
  for (v1::AppendixTable& table : all.tables) {
    *response.add_tables() = std::move(table);
  }
  const int page_size =
      request.page_size() == 0 ? kDefaultAppendixPageSize : request.page_size();
  // Rows are keyed by their position: the printed layout never changes and
  // entries created since come last (one created between two pages may
  // shift that last table by a row).
  for (size_t i = 0; i < all.rows.size(); ++i) {
    const std::string key = absl::StrFormat("%08d", i);
    if (!after.empty() && key <= after) continue;
    if (response.rows_size() == page_size) {
      v1::PageToken token;
      token.set_after_id(absl::StrFormat("%08d", i - 1));
      token.set_filter_fingerprint(fingerprint);
      response.set_next_page_token(EncodePageToken(token));
      break;
    }
    *response.add_rows() = std::move(all.rows[i]);
  }
  return response;
}

}  // namespace fieldsync::server
