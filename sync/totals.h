// Totals of an area and period from the live aggregates (sync/aggregates.h):
// the cells of every area under the asked one, on the hierarchy valid on
// the date asked, summed per group, indicator and unit. Reads only the
// cells of those areas in that period, never the reports.
#ifndef FIELDSYNC_SYNC_TOTALS_H_
#define FIELDSYNC_SYNC_TOTALS_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "fieldsync/v1/catalogue.pb.h"
#include "fieldsync/v1/monitoring_service.pb.h"
#include "sync/area_tree.h"
#include "sync/query_checks.h"
#include "sync/store.h"

namespace fieldsync {

// What totals need of the catalogue: a model by id and a sector by slug
// (nullptr when unknown).
struct TotalsCatalogue {
  std::function<const v1::Model*(std::string_view id)> model;
  std::function<const v1::Sector*(std::string_view slug)> sector;
};

// A question after validation.
struct TotalsQuery {
  std::string area_id;
  std::string period;
  v1::TotalsGrouping by = v1::TOTALS_GROUPING_UNSPECIFIED;
  std::string model_id;
  std::string indicator;
  std::string as_of;  // YYYY-MM-DD
};

// Checks `request` against the areas, the catalogue and `today`
// (YYYY-MM-DD) and fills in the defaults; InvalidArgument or NotFound
// naming the field and value otherwise: an unknown area, model or
// indicator code, a period in the future or not starting with its year,
// an as_of that is not a date, is after today, or on which the area did
// not exist.
absl::StatusOr<TotalsQuery> CheckTotalsRequest(
    const v1::GetTotalsRequest& request, const AreaTree& areas,
    const TotalsCatalogue& catalogue, std::string_view today);

// Every row of `query`'s totals, ordered by group, indicator and unit.
absl::StatusOr<std::vector<v1::TotalsRow>> ComputeTotals(
    Store& store, const AreaTree& areas, const TotalsCatalogue& catalogue,
    const TotalsQuery& query);

// True for a unit whose values are never summed: a percentage or a rate
// ("%", "lần/tuần").
bool IsRateUnit(std::string_view unit);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_TOTALS_H_
