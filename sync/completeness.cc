#include "sync/completeness.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "sync/field_error.h"
#include "sync/keys.h"
#include "sync/query_checks.h"
#include "sync/status_macros.h"

namespace fieldsync {

absl::StatusOr<CompletenessQuery> CheckCompletenessRequest(
    const v1::GetCompletenessRequest& request, const AreaTree& areas,
    const std::function<const v1::Model*(std::string_view id)>& model,
    const std::function<bool(std::string_view area_id)>& may_read,
    std::string_view today) {
  CompletenessQuery query;
  FS_ASSIGN_OR_RETURN(query.as_of, CheckAsOf(request.as_of(), today));
  if (request.model_id().empty()) {
    return InvalidFieldError("model_id",
                             "is required, e.g. "
                             "\"huyen-tp-sa-dec-05\"");
  }
  if (model(request.model_id()) == nullptr) {
    return UnknownModelError(request.model_id());
  }
  query.model_id = request.model_id();
  if (!request.area_id().empty()) {
    if (areas.Find(request.area_id()) != nullptr &&
        !may_read(request.area_id())) {
      return UnknownAreaError(request.area_id());
    }
    FS_RETURN_IF_ERROR(CheckQueryArea(request.area_id(), query.as_of, areas));
  }
  query.area_id = request.area_id();
  FS_RETURN_IF_ERROR(CheckPeriod(request.period(), today));
  query.period = request.period();
  return query;
}

ExpectedAreas ExpectedAreasOf(const v1::Model& model, const AreaTree& areas,
                              std::string_view as_of) {
  ExpectedAreas expected;
  absl::flat_hash_set<std::string> ids;
  if (model.assigned_area_ids_size() > 0) {
    expected.source = v1::EXPECTED_AREAS_SOURCE_ASSIGNMENT;
    ids.insert(model.assigned_area_ids().begin(),
               model.assigned_area_ids().end());
  } else {
    expected.source = v1::EXPECTED_AREAS_SOURCE_CATALOGUE;
    if (!model.owner_area_id().empty()) ids.insert(model.owner_area_id());
    ids.insert(model.area_refs().begin(), model.area_refs().end());
    if (model.area_refs().empty() &&
        model.level() == v1::MODEL_LEVEL_DISTRICT &&
        !model.owner_area_id().empty()) {
      for (const v1::Area& a : areas.Subtree(model.owner_area_id(), as_of)) {
        if (a.level() == v1::AREA_LEVEL_COMMUNE) ids.insert(a.id());
      }
    }
  }
  // An area named before a merge is expected as the area it became.
  absl::flat_hash_set<std::string> on_date;
  for (const std::string& id : ids) {
    if (const v1::Area* target = areas.RollupTargetOn(id, as_of)) {
      on_date.insert(target->id());
    }
  }
  // Tree order, and only the areas valid on the date.
  for (const v1::Area& a : areas.Subtree("", as_of)) {
    if (on_date.contains(a.id())) expected.ids.push_back(a.id());
  }
  return expected;
}

namespace {

void Add(v1::ReportStatusCounts& to, const v1::ReportStatusCounts& from) {
  to.set_draft(to.draft() + from.draft());
  to.set_submitted(to.submitted() + from.submitted());
  to.set_accepted(to.accepted() + from.accepted());
  to.set_returned(to.returned() + from.returned());
}

int32_t Total(const v1::ReportStatusCounts& c) {
  return c.draft() + c.submitted() + c.accepted() + c.returned();
}

v1::ReportStatusCounts CountsOf(const v1::AggregateCell& cell) {
  v1::ReportStatusCounts counts;
  const v1::ReportCounts& r = cell.reports();
  counts.set_draft(static_cast<int32_t>(r.draft()));
  counts.set_submitted(static_cast<int32_t>(r.submitted()));
  counts.set_accepted(static_cast<int32_t>(r.accepted()));
  counts.set_returned(static_cast<int32_t>(r.returned()));
  return counts;
}

}  // namespace

absl::StatusOr<Completeness> ComputeCompleteness(
    Store& store, const AreaTree& areas, const v1::Model& model,
    const CompletenessQuery& query) {
  const ExpectedAreas expected = ExpectedAreasOf(model, areas, query.as_of);
  const absl::flat_hash_set<std::string> is_expected(expected.ids.begin(),
                                                     expected.ids.end());
  // Every area within the asked one on the date, and its cells for the
  // model and period, read together: its own, and those of the areas
  // merged or dissolved into it by then (reports keep the area they were
  // filed under).
  const std::vector<v1::Area> within =
      areas.Subtree(query.area_id, query.as_of);
  std::vector<std::string> keys;
  std::vector<size_t> key_area;  // the index in `within` of each key
  keys.reserve(within.size());
  for (size_t i = 0; i < within.size(); ++i) {
    keys.push_back(AggregateKey(query.period, within[i].id(), query.model_id));
    key_area.push_back(i);
    for (const std::string& source :
         areas.ContributorsOn(within[i].id(), query.as_of)) {
      keys.push_back(AggregateKey(query.period, source, query.model_id));
      key_area.push_back(i);
    }
  }
  std::vector<std::string_view> views(keys.begin(), keys.end());
  FS_ASSIGN_OR_RETURN(std::vector<std::optional<v1::AggregateCell>> found,
                      store.GetAggregates(views));
  std::vector<v1::ReportStatusCounts> counts(within.size());
  for (size_t k = 0; k < found.size(); ++k) {
    if (found[k].has_value()) Add(counts[key_area[k]], CountsOf(*found[k]));
  }
  Completeness out;
  out.source = expected.source;
  std::vector<v1::CompletenessRow> unexpected;
  v1::CompletenessSummary& summary = out.summary;
  for (size_t i = 0; i < within.size(); ++i) {
    const v1::Area& area = within[i];
    v1::CompletenessRow row;
    row.set_area_id(area.id());
    row.set_area_name(area.full_name());
    row.set_level(area.level());
    *row.mutable_reports() = counts[i];
    const int32_t reports = Total(row.reports());
    Add(*summary.mutable_reports(), row.reports());
    if (is_expected.contains(area.id())) {
      row.set_expected(true);
      row.set_none(reports == 0);
      summary.set_expected_areas(summary.expected_areas() + 1);
      if (reports == 0) {
        summary.set_missing_areas(summary.missing_areas() + 1);
      } else {
        summary.set_reporting_areas(summary.reporting_areas() + 1);
      }
      out.rows.push_back(std::move(row));
    } else if (reports > 0) {
      summary.set_unexpected_areas(summary.unexpected_areas() + 1);
      unexpected.push_back(std::move(row));
    }
  }
  for (v1::CompletenessRow& row : unexpected) {
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace fieldsync
