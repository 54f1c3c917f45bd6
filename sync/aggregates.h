// Live aggregates (DESIGN.md "Storage"): what a report puts in the
// `aggregates` column family, as pure functions.
//
// A report counts while it is submitted or accepted and not deleted; a
// draft or a returned report counts nowhere. Each finite value of a
// counting report's indicators is one entry in the cell of (period, the
// report's own area, model), under its indicator code and unit, in the
// column of its status. Cells stay at the area the report was filed under:
// totals for any area roll them up along the hierarchy valid on the date asked
// (sync/totals.h), so a merge of areas moves no cell and old reports keep
// their history.
//
// Every report not deleted, drafts and returned ones included, also counts
// once in its cell's count of its status (a report with no status counts as
// a draft): what completeness reads (sync/completeness.h). A cell may hold
// counts and no figure.
//
// A change moves cells by the difference between the entries of the
// document before and after it (a report edited from 40 to 59 members
// takes 40 out and puts 59 in; a status change moves the entries from one
// column to the other), in the change's own write.
#ifndef FIELDSYNC_SYNC_AGGREGATES_H_
#define FIELDSYNC_SYNC_AGGREGATES_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fieldsync/v1/aggregate.pb.h"
#include "fieldsync/v1/document.pb.h"
#include "sync/store.h"

namespace fieldsync {

// One value a report puts in one cell.
struct AggregateEntry {
  std::string key;  // keys.h AggregateKey
  std::string indicator;
  std::string unit;
  bool accepted = false;
  double value = 0;
  bool lower_bound = false;  // a qualified value ("trên 50")

  bool operator==(const AggregateEntry&) const = default;
};

// What `doc` (may be null) puts in the cells, ordered by indicator and
// unit (a report's entries share one cell); empty for anything but a
// counting report.
std::vector<AggregateEntry> AggregateEntriesOf(const v1::Document* doc);

// Where a report counts in the status counts: its cell and its status.
struct ReportPlace {
  std::string key;  // keys.h AggregateKey
  // DRAFT, SUBMITTED, ACCEPTED or RETURNED.
  v1::ReportStatus status = v1::REPORT_STATUS_DRAFT;

  bool operator==(const ReportPlace&) const = default;
};

// Where `doc` (may be null) counts; nullopt for anything but a report that
// is not deleted.
std::optional<ReportPlace> ReportPlaceOf(const v1::Document* doc);

// Adds one report of `status` to `cell`'s counts, or takes one out (`add`
// false). Taking out a report the cell does not count changes nothing and
// returns false: the caller's cells and reports disagree.
bool MoveReportCount(v1::AggregateCell& cell, v1::ReportStatus status,
                     bool add);

// Adds `entry` to `cell`, or takes it out (`add` false). Taking out a value
// the cell does not hold changes nothing and returns false: the caller's
// cells and reports disagree.
bool MoveEntry(v1::AggregateCell& cell, const AggregateEntry& entry, bool add);

// True when no report is in the cell (no figure, no count): it is deleted
// rather than stored.
bool IsEmptyCell(const v1::AggregateCell& cell);

// Every cell, recomputed from the stored reports: what the live cells must
// equal (the property test), and how a store is repaired or filled.
absl::StatusOr<std::map<std::string, v1::AggregateCell>> RecomputeAggregates(
    Store& store);

// Every live cell as stored.
absl::StatusOr<std::map<std::string, v1::AggregateCell>> StoredAggregates(
    Store& store);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_AGGREGATES_H_
