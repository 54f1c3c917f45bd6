#include "sync/totals.h"

#include <algorithm>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "sync/field_error.h"
#include "sync/keys.h"
#include "sync/status_macros.h"

namespace fieldsync {

bool IsRateUnit(std::string_view unit) {
  return unit.find('%') != std::string_view::npos ||
         unit.find('/') != std::string_view::npos;
}

absl::StatusOr<TotalsQuery> CheckTotalsRequest(
    const v1::GetTotalsRequest& request, const AreaTree& areas,
    const TotalsCatalogue& catalogue, std::string_view today) {
  TotalsQuery query;
  FS_ASSIGN_OR_RETURN(query.as_of, CheckAsOf(request.as_of(), today));
  if (request.area_id().empty()) {
    return InvalidFieldError("area_id", "is required, e.g. \"tp-sa-dec\"");
  }
  FS_RETURN_IF_ERROR(CheckQueryArea(request.area_id(), query.as_of, areas));
  query.area_id = request.area_id();
  FS_RETURN_IF_ERROR(CheckPeriod(request.period(), today));
  query.period = request.period();
  if (!request.model_id().empty() &&
      catalogue.model(request.model_id()) == nullptr) {
    return UnknownModelError(request.model_id());
  }
  query.model_id = request.model_id();
  query.indicator = request.indicator();
  if (!v1::TotalsGrouping_IsValid(request.by())) {
    return InvalidFieldError("by",
                             absl::StrCat(request.by(), " is not a grouping"));
  }
  query.by = request.by();
  return query;
}

namespace {

// One status column summed over cells.
struct Sum {
  uint64_t reports = 0;
  double sum = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  uint64_t lower_bounds = 0;

  void Add(const v1::AggregateColumn& column) {
    for (int i = 0; i < column.values_size(); ++i) {
      const double v = column.values(i);
      const uint64_t n = column.counts(i);
      reports += n;
      sum += v * static_cast<double>(n);
      min = std::min(min, v);
      max = std::max(max, v);
    }
    lower_bounds += column.lower_bounds();
  }

  v1::IndicatorSummary Summary(bool summed) const {
    v1::IndicatorSummary out;
    out.set_reports(reports);
    if (reports == 0) return out;
    out.set_summed(summed);
    if (summed) out.set_sum(sum);
    out.set_mean(sum / static_cast<double>(reports));
    out.set_min(min);
    out.set_max(max);
    out.set_lower_bound(lower_bounds > 0);
    return out;
  }
};

struct RowSums {
  Sum submitted;
  Sum accepted;
};

// The group a cell at `model` falls in; `area_group` is the group of the
// area it counts toward, for grouping by area.
std::string GroupOf(const TotalsQuery& query, const TotalsCatalogue& catalogue,
                    const std::string& area_group, std::string_view model) {
  switch (query.by) {
    case v1::TOTALS_GROUPING_AREA:
      return area_group;
    case v1::TOTALS_GROUPING_SECTOR: {
      const v1::Model* m = catalogue.model(model);
      return m == nullptr ? "" : m->sector_slug();
    }
    case v1::TOTALS_GROUPING_MODEL:
      return std::string(model);
    default:
      return "";
  }
}

// `area_names`: the names areas had on the date asked (a renamed area is
// named as it was called then).
std::string GroupName(
    const TotalsQuery& query,
    const absl::flat_hash_map<std::string, std::string>& area_names,
    const TotalsCatalogue& catalogue, const std::string& group) {
  switch (query.by) {
    case v1::TOTALS_GROUPING_AREA: {
      auto it = area_names.find(group);
      return it == area_names.end() ? "" : it->second;
    }
    case v1::TOTALS_GROUPING_SECTOR: {
      const v1::Sector* s = catalogue.sector(group);
      return s == nullptr ? "" : s->title();
    }
    case v1::TOTALS_GROUPING_MODEL: {
      const v1::Model* m = catalogue.model(group);
      return m == nullptr ? "" : m->name();
    }
    default:
      return "";
  }
}

}  // namespace

absl::StatusOr<std::vector<v1::TotalsRow>> ComputeTotals(
    Store& store, const AreaTree& areas, const TotalsCatalogue& catalogue,
    const TotalsQuery& query) {
  // Rows by "<group>\0<indicator>\0<unit>", the order they are answered
  // in; looked up through a key built in one reused buffer.
  absl::flat_hash_map<std::string, RowSums> rows;
  std::string row_key;
  // Per area of the day's hierarchy, the area right below the asked one
  // it lies in (the asked one for itself); parents come first.
  absl::flat_hash_map<std::string, std::string> area_groups;
  absl::flat_hash_map<std::string, std::string> area_names;
  for (const v1::Area& area : areas.Subtree(query.area_id, query.as_of)) {
    std::string area_group = area.id();
    if (area.id() != query.area_id && area.parent_id() != query.area_id) {
      area_group = area_groups[area.parent_id()];
    }
    area_groups[area.id()] = area_group;
    area_names[area.id()] = area.full_name();
    // Cells stay where their reports were filed; an area merged or
    // dissolved by the day counts toward the area it went into.
    std::vector<std::string> filed_under = {area.id()};
    for (std::string& source : areas.ContributorsOn(area.id(), query.as_of)) {
      filed_under.push_back(std::move(source));
    }
    for (const std::string& filing_area : filed_under) {
      FS_RETURN_IF_ERROR(store.ScanAggregates(
          AggregatePrefix(query.period, filing_area),
          [&](std::string_view key, const v1::AggregateCell& cell) {
            std::optional<AggregateKeyParts> parts = SplitAggregateKey(key);
            if (!parts.has_value()) return true;
            if (!query.model_id.empty() && parts->model != query.model_id) {
              return true;
            }
            const std::string group =
                GroupOf(query, catalogue, area_group, parts->model);
            for (const v1::IndicatorAggregate& a : cell.indicators()) {
              if (!query.indicator.empty() &&
                  a.indicator() != query.indicator) {
                continue;
              }
              row_key.assign(group);
              row_key.push_back('\0');
              row_key.append(a.indicator());
              row_key.push_back('\0');
              row_key.append(a.unit());
              auto it = rows.find(row_key);
              if (it == rows.end()) it = rows.try_emplace(row_key).first;
              RowSums& row = it->second;
              row.submitted.Add(a.submitted());
              row.accepted.Add(a.accepted());
            }
            return true;
          }));
    }
  }
  if (!query.indicator.empty() && rows.empty()) {
    return FieldError(
        absl::StatusCode::kNotFound, "indicator",
        absl::StrCat("no report of ", query.area_id, " for ", query.period,
                     " gives \"", query.indicator, "\""));
  }
  std::vector<const std::pair<const std::string, RowSums>*> ordered;
  ordered.reserve(rows.size());
  for (const auto& entry : rows) ordered.push_back(&entry);
  std::sort(ordered.begin(), ordered.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  std::vector<v1::TotalsRow> out;
  out.reserve(rows.size());
  for (const auto* entry : ordered) {
    const RowSums& sums = entry->second;
    // "<group>\0<indicator>\0<unit>": none of the three holds a NUL.
    const std::string_view key = entry->first;
    const size_t first = key.find('\0');
    const size_t second = key.find('\0', first + 1);
    const std::string group(key.substr(0, first));
    const std::string indicator(key.substr(first + 1, second - first - 1));
    const std::string unit(key.substr(second + 1));
    v1::TotalsRow& row = out.emplace_back();
    row.set_group_id(group);
    row.set_group_name(GroupName(query, area_names, catalogue, group));
    row.set_indicator(indicator);
    row.set_unit(unit);
    const bool summed = !IsRateUnit(unit);
    *row.mutable_submitted() = sums.submitted.Summary(summed);
    *row.mutable_accepted() = sums.accepted.Summary(summed);
  }
  return out;
}

}  // namespace fieldsync
