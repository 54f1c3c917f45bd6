#include "sync/cell_delta.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "sync/aggregates.h"

namespace fieldsync {

uint64_t FoldDelta(v1::AggregateCell& cell, const v1::AggregateDelta& delta) {
  uint64_t mismatches = 0;
  AggregateEntry entry;
  for (const v1::ValueMove& move : delta.values()) {
    entry.indicator = move.indicator();
    entry.unit = move.unit();
    entry.accepted = move.accepted();
    entry.value = move.value();
    entry.lower_bound = move.lower_bound();
    if (!MoveEntry(cell, entry, !move.remove())) ++mismatches;
  }
  for (const v1::CountMove& move : delta.counts()) {
    if (!MoveReportCount(cell, move.status(), !move.remove())) ++mismatches;
  }
  return mismatches;
}

namespace {

// The key as a message can show it: its NULs escaped.
std::string Printable(std::string_view key) {
  return absl::CHexEscape(absl::string_view(key.data(), key.size()));
}

}  // namespace

absl::StatusOr<std::string> FoldCell(
    std::string_view key, const std::string_view* existing,
    const std::vector<std::string_view>& operands, uint64_t& mismatches) {
  v1::AggregateCell cell;
  if (existing != nullptr &&
      !cell.ParseFromArray(existing->data(), existing->size())) {
    return absl::DataLossError(
        absl::StrCat("aggregate cell ", Printable(key), " does not parse"));
  }
  v1::AggregateDelta delta;
  for (std::string_view operand : operands) {
    if (!delta.ParseFromArray(operand.data(), operand.size())) {
      return absl::DataLossError(absl::StrCat(
          "a change of aggregate cell ", Printable(key), " does not parse"));
    }
    mismatches += FoldDelta(cell, delta);
  }
  std::string folded;
  if (!IsEmptyCell(cell)) cell.SerializeToString(&folded);
  return folded;
}

}  // namespace fieldsync
