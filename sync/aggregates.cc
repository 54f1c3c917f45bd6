#include "sync/aggregates.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "sync/keys.h"
#include "sync/status_macros.h"

namespace fieldsync {

std::vector<AggregateEntry> AggregateEntriesOf(const v1::Document* doc) {
  std::vector<AggregateEntry> entries;
  if (doc == nullptr || doc->deleted() || !doc->has_report()) return entries;
  const v1::Report& report = doc->report();
  const bool accepted = report.status() == v1::REPORT_STATUS_ACCEPTED;
  if (!accepted && report.status() != v1::REPORT_STATUS_SUBMITTED) {
    return entries;
  }
  const std::string key =
      AggregateKey(report.period(), report.area_id(), report.model_id());
  entries.reserve(report.indicators_size());
  for (const auto& [code, indicator] : report.indicators()) {
    // An infinite or NaN value has no total; the merge refuses them, and
    // a stored one must not poison a cell's sum.
    if (!std::isfinite(indicator.value())) continue;
    entries.push_back(
        {.key = key,
         .indicator = code,
         .unit = indicator.unit(),
         .accepted = accepted,
         .value = indicator.value(),
         .lower_bound = indicator.qualifier() != v1::QUALIFIER_UNSPECIFIED});
  }
  // Map order is not stable: this order makes "same entries" a plain ==.
  std::sort(entries.begin(), entries.end(),
            [](const AggregateEntry& a, const AggregateEntry& b) {
              return std::tie(a.indicator, a.unit) <
                     std::tie(b.indicator, b.unit);
            });
  return entries;
}

std::optional<ReportPlace> ReportPlaceOf(const v1::Document* doc) {
  if (doc == nullptr || doc->deleted() || !doc->has_report()) {
    return std::nullopt;
  }
  const v1::Report& report = doc->report();
  ReportPlace place{.key = AggregateKey(report.period(), report.area_id(),
                                        report.model_id())};
  switch (report.status()) {
    case v1::REPORT_STATUS_SUBMITTED:
    case v1::REPORT_STATUS_ACCEPTED:
    case v1::REPORT_STATUS_RETURNED:
      place.status = report.status();
      break;
    default:  // no status yet, or one this build does not know
      place.status = v1::REPORT_STATUS_DRAFT;
      break;
  }
  return place;
}

bool MoveReportCount(v1::AggregateCell& cell, v1::ReportStatus status,
                     bool add) {
  using Counts = v1::ReportCounts;
  uint64_t (Counts::*get)() const = &Counts::draft;
  void (Counts::*set)(uint64_t) = &Counts::set_draft;
  switch (status) {
    case v1::REPORT_STATUS_SUBMITTED:
      get = &Counts::submitted;
      set = &Counts::set_submitted;
      break;
    case v1::REPORT_STATUS_ACCEPTED:
      get = &Counts::accepted;
      set = &Counts::set_accepted;
      break;
    case v1::REPORT_STATUS_RETURNED:
      get = &Counts::returned;
      set = &Counts::set_returned;
      break;
    default:
      break;
  }
  Counts& counts = *cell.mutable_reports();
  const uint64_t value = (counts.*get)();
  const bool moved = add || value > 0;
  if (moved) (counts.*set)(add ? value + 1 : value - 1);
  // All zero is absent, as in a cell built afresh: the same bytes.
  if (counts.draft() == 0 && counts.submitted() == 0 &&
      counts.accepted() == 0 && counts.returned() == 0) {
    cell.clear_reports();
  }
  return moved;
}

namespace {

// The index in `cell` of `entry`'s indicator and unit, made in its place if
// `add`; -1 if absent and not to be made.
int IndicatorIndex(v1::AggregateCell& cell, const AggregateEntry& entry,
                   bool add) {
  auto* indicators = cell.mutable_indicators();
  auto at = std::lower_bound(
      indicators->begin(), indicators->end(), entry,
      [](const v1::IndicatorAggregate& a, const AggregateEntry& e) {
        return std::tie(a.indicator(), a.unit()) <
               std::tie(e.indicator, e.unit);
      });
  const int i = static_cast<int>(at - indicators->begin());
  if (at != indicators->end() && at->indicator() == entry.indicator &&
      at->unit() == entry.unit) {
    return i;
  }
  if (!add) return -1;
  indicators->Add();
  for (int j = indicators->size() - 1; j > i; --j) {
    indicators->SwapElements(j, j - 1);
  }
  v1::IndicatorAggregate* made = indicators->Mutable(i);
  made->set_indicator(entry.indicator);
  made->set_unit(entry.unit);
  return i;
}

// Adds `value` to `column`, or takes it out; false if it is not there.
bool MoveValue(v1::AggregateColumn& column, double value, bool lower_bound,
               bool add) {
  auto* values = column.mutable_values();
  auto* counts = column.mutable_counts();
  // -0.0 and 0.0 are one value: keep the first the cell saw.
  const auto at = std::lower_bound(values->begin(), values->end(), value);
  const int i = static_cast<int>(at - values->begin());
  const bool held = at != values->end() && *at == value;
  if (add) {
    if (held) {
      counts->Set(i, counts->Get(i) + 1);
    } else {
      values->Add(0);
      counts->Add(0);
      for (int j = values->size() - 1; j > i; --j) {
        values->Set(j, values->Get(j - 1));
        counts->Set(j, counts->Get(j - 1));
      }
      values->Set(i, value);
      counts->Set(i, 1);
    }
    if (lower_bound) column.set_lower_bounds(column.lower_bounds() + 1);
    return true;
  }
  if (!held) return false;
  if (counts->Get(i) > 1) {
    counts->Set(i, counts->Get(i) - 1);
  } else {
    values->erase(values->begin() + i);
    counts->erase(counts->begin() + i);
  }
  if (lower_bound && column.lower_bounds() > 0) {
    column.set_lower_bounds(column.lower_bounds() - 1);
  }
  return true;
}

}  // namespace

bool MoveEntry(v1::AggregateCell& cell, const AggregateEntry& entry, bool add) {
  const int i = IndicatorIndex(cell, entry, add);
  if (i < 0) return false;
  v1::IndicatorAggregate& indicator = *cell.mutable_indicators(i);
  v1::AggregateColumn& column = entry.accepted ? *indicator.mutable_accepted()
                                               : *indicator.mutable_submitted();
  const bool moved = MoveValue(column, entry.value, entry.lower_bound, add);
  // An emptied column or indicator is absent, as in a cell built afresh:
  // the same reports give the same bytes.
  if (column.values().empty() && column.lower_bounds() == 0) {
    entry.accepted ? indicator.clear_accepted() : indicator.clear_submitted();
  }
  if (!indicator.has_accepted() && !indicator.has_submitted()) {
    cell.mutable_indicators()->DeleteSubrange(i, 1);
  }
  return moved;
}

bool IsEmptyCell(const v1::AggregateCell& cell) {
  return cell.indicators().empty() && !cell.has_reports();
}

absl::StatusOr<std::map<std::string, v1::AggregateCell>> RecomputeAggregates(
    Store& store) {
  std::map<std::string, v1::AggregateCell> cells;
  FS_RETURN_IF_ERROR(
      store.ScanDocs(DocKeyPrefix(kReportKind), [&](const v1::Document& doc) {
        std::optional<ReportPlace> place = ReportPlaceOf(&doc);
        if (place.has_value()) {
          MoveReportCount(cells[place->key], place->status, /*add=*/true);
        }
        for (const AggregateEntry& entry : AggregateEntriesOf(&doc)) {
          MoveEntry(cells[entry.key], entry, /*add=*/true);
        }
        return true;
      }));
  return cells;
}

absl::StatusOr<std::map<std::string, v1::AggregateCell>> StoredAggregates(
    Store& store) {
  std::map<std::string, v1::AggregateCell> cells;
  FS_RETURN_IF_ERROR(store.ScanAggregates(
      "", [&](std::string_view key, const v1::AggregateCell& cell) {
        cells.emplace(std::string(key), cell);
        return true;
      }));
  return cells;
}

}  // namespace fieldsync
