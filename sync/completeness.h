// Completeness of a model's reports for a period: which areas expected to
// report have a report in each status, which have none, and which reported
// without being expected. Reads the status counts of the live aggregate
// cells (sync/aggregates.h), one cell per area, never the reports.
//
// The expected areas of a model, on the hierarchy valid on the date asked:
//   - an admin's explicit assignment (Model.assigned_area_ids), when set,
//     replaces everything below;
//   - else its implementing units from the catalogue: the owner
//     (owner_area_id: the province for a province-level model, the district
//     for a district-level one), plus the communes and hamlets the
//     catalogue names in its rows (area_refs) or, for a district-level
//     model that names none, every commune of its district.
// An area not valid on the date is not expected. A report counts at the
// area it was filed under: one filed at a hamlet of an expected commune is
// the hamlet's, listed as not expected unless the hamlet is.
#ifndef FIELDSYNC_SYNC_COMPLETENESS_H_
#define FIELDSYNC_SYNC_COMPLETENESS_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "fieldsync/v1/catalogue.pb.h"
#include "fieldsync/v1/monitoring_service.pb.h"
#include "sync/area_tree.h"
#include "sync/store.h"

namespace fieldsync {

// A question after validation.
struct CompletenessQuery {
  std::string model_id;
  std::string period;
  // Only areas within this one; empty: the whole hierarchy.
  std::string area_id;
  std::string as_of;  // YYYY-MM-DD
};

// Checks `request` against the areas, the models (`model` returns nullptr
// for an unknown one, or one the caller may not see) and `today`
// (YYYY-MM-DD), and fills in the defaults; NotFound or InvalidArgument
// naming the field and value otherwise: a missing or unknown model, an
// unknown area or one that did not exist on as_of, a period that is
// malformed or in the future, an as_of that is not a date or after today.
// An area `may_read` refuses is answered exactly as an unknown one, at the
// same point of the checks.
absl::StatusOr<CompletenessQuery> CheckCompletenessRequest(
    const v1::GetCompletenessRequest& request, const AreaTree& areas,
    const std::function<const v1::Model*(std::string_view id)>& model,
    const std::function<bool(std::string_view area_id)>& may_read,
    std::string_view today);

// The areas expected to report on `model` on `as_of`, in tree order, and
// where the set comes from (the rule above).
struct ExpectedAreas {
  std::vector<std::string> ids;
  v1::ExpectedAreasSource source = v1::EXPECTED_AREAS_SOURCE_UNSPECIFIED;
};
ExpectedAreas ExpectedAreasOf(const v1::Model& model, const AreaTree& areas,
                              std::string_view as_of);

// The whole answer, before paging: the expected areas within the asked one
// in tree order, then the areas that reported without being expected, in
// tree order; and the summary over all of them.
struct Completeness {
  std::vector<v1::CompletenessRow> rows;
  v1::CompletenessSummary summary;
  v1::ExpectedAreasSource source = v1::EXPECTED_AREAS_SOURCE_UNSPECIFIED;
};
absl::StatusOr<Completeness> ComputeCompleteness(
    Store& store, const AreaTree& areas, const v1::Model& model,
    const CompletenessQuery& query);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_COMPLETENESS_H_
