#include "sync/aggregates.h"

#include <algorithm>
#include <cmath>

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
  entries.reserve(report.indicators_size());
  for (const auto& [code, indicator] : report.indicators()) {
    // An infinite or NaN value has no total; the merge refuses them, and
    // a stored one must not poison a cell's sum.
    if (!std::isfinite(indicator.value())) continue;
    entries.push_back(
        {.key = AggregateKey(report.period(), report.area_id(),
                             report.model_id(), code, indicator.unit()),
         .accepted = accepted,
         .value = indicator.value(),
         .lower_bound = indicator.qualifier() != v1::QUALIFIER_UNSPECIFIED});
  }
  // Map order is not stable: key order makes "same entries" a plain ==.
  std::sort(entries.begin(), entries.end(),
            [](const AggregateEntry& a, const AggregateEntry& b) {
              return a.key < b.key;
            });
  return entries;
}

bool MoveEntry(v1::AggregateCell& cell, const AggregateEntry& entry, bool add) {
  v1::AggregateColumn& column =
      entry.accepted ? *cell.mutable_accepted() : *cell.mutable_submitted();
  auto* values = column.mutable_values();
  auto* counts = column.mutable_counts();
  // -0.0 and 0.0 are one value: keep the first the cell saw.
  const auto at = std::lower_bound(values->begin(), values->end(), entry.value);
  const int i = static_cast<int>(at - values->begin());
  const bool held = at != values->end() && *at == entry.value;
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
      values->Set(i, entry.value);
      counts->Set(i, 1);
    }
    if (entry.lower_bound) column.set_lower_bounds(column.lower_bounds() + 1);
    return true;
  }
  if (!held) return false;
  if (counts->Get(i) > 1) {
    counts->Set(i, counts->Get(i) - 1);
  } else {
    values->erase(values->begin() + i);
    counts->erase(counts->begin() + i);
  }
  if (entry.lower_bound && column.lower_bounds() > 0) {
    column.set_lower_bounds(column.lower_bounds() - 1);
  }
  // An emptied column is absent, as in a cell built afresh: the same
  // reports give the same bytes.
  if (values->empty() && column.lower_bounds() == 0) {
    entry.accepted ? cell.clear_accepted() : cell.clear_submitted();
  }
  return true;
}

bool IsEmptyCell(const v1::AggregateCell& cell) {
  return cell.submitted().values().empty() && cell.accepted().values().empty();
}

absl::StatusOr<std::map<std::string, v1::AggregateCell>> RecomputeAggregates(
    Store& store) {
  std::map<std::string, v1::AggregateCell> cells;
  FS_RETURN_IF_ERROR(
      store.ScanDocs(DocKeyPrefix(kReportKind), [&](const v1::Document& doc) {
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
