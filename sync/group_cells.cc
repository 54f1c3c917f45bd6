#include "sync/group_cells.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace fieldsync {
namespace {

// Whether `doc` (may be null) puts figures in the cells
// (AggregateEntriesOf): a submitted or accepted report, not deleted.
bool Counts(const v1::Document* doc) {
  if (doc == nullptr || doc->deleted() || !doc->has_report()) return false;
  const v1::ReportStatus status = doc->report().status();
  return status == v1::REPORT_STATUS_SUBMITTED ||
         status == v1::REPORT_STATUS_ACCEPTED;
}

}  // namespace

// The wire format of aggregate_delta.proto, written by hand: a push writes
// one move per figure, and the generated code's setters and serializer
// cost more than the rest of the live aggregates together
// (docs/benchmarks.md). tests/group_cells_test.cc parses what these write
// with the generated code.
namespace {

void AppendVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

size_t VarintSize(uint64_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

// Field `number` of wire type `type`.
void AppendTag(std::string& out, int number, int type) {
  AppendVarint(out, static_cast<uint64_t>(number << 3 | type));
}

constexpr int kVarint = 0, kFixed64 = 1, kLengthDelimited = 2;

}  // namespace

void AppendValueMove(std::string& out, std::string_view indicator,
                     std::string_view unit, bool accepted, double value,
                     bool lower_bound, bool remove) {
  const size_t size = 1 + VarintSize(indicator.size()) + indicator.size() + 1 +
                      VarintSize(unit.size()) + unit.size() +
                      (accepted ? 2 : 0) + 9 + (lower_bound ? 2 : 0) +
                      (remove ? 2 : 0);
  AppendTag(out, v1::AggregateDelta::kValuesFieldNumber, kLengthDelimited);
  AppendVarint(out, size);
  AppendTag(out, v1::ValueMove::kIndicatorFieldNumber, kLengthDelimited);
  AppendVarint(out, indicator.size());
  out.append(indicator);
  AppendTag(out, v1::ValueMove::kUnitFieldNumber, kLengthDelimited);
  AppendVarint(out, unit.size());
  out.append(unit);
  if (accepted) {
    AppendTag(out, v1::ValueMove::kAcceptedFieldNumber, kVarint);
    out.push_back(1);
  }
  // Always written, 0 included: a parser takes it as it takes an absent one.
  AppendTag(out, v1::ValueMove::kValueFieldNumber, kFixed64);
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(bits >> (8 * i)));
  if (lower_bound) {
    AppendTag(out, v1::ValueMove::kLowerBoundFieldNumber, kVarint);
    out.push_back(1);
  }
  if (remove) {
    AppendTag(out, v1::ValueMove::kRemoveFieldNumber, kVarint);
    out.push_back(1);
  }
}

void AppendCountMove(std::string& out, v1::ReportStatus status, bool remove) {
  const uint64_t code = static_cast<uint64_t>(status);
  const size_t size = 1 + VarintSize(code) + (remove ? 2 : 0);
  AppendTag(out, v1::AggregateDelta::kCountsFieldNumber, kLengthDelimited);
  AppendVarint(out, size);
  AppendTag(out, v1::CountMove::kStatusFieldNumber, kVarint);
  AppendVarint(out, code);
  if (remove) {
    AppendTag(out, v1::CountMove::kRemoveFieldNumber, kVarint);
    out.push_back(1);
  }
}

std::string& GroupCells::DeltaOf(const std::string& key) {
  // Valid: nothing was inserted since they were taken (flat_hash_map moves
  // its entries only as it grows).
  if (last_key_ != nullptr && *last_key_ == key) return *last_delta_;
  auto it = deltas_.try_emplace(key).first;
  last_key_ = &it->first;
  last_delta_ = &it->second;
  return it->second;
}

void GroupCells::AppendValue(const std::string& key, const std::string& code,
                             const v1::Indicator& indicator, bool accepted,
                             bool remove) {
  AppendValueMove(DeltaOf(key), code, indicator.unit(), accepted,
                  indicator.value(),
                  indicator.qualifier() != v1::QUALIFIER_UNSPECIFIED, remove);
}

void GroupCells::AppendCount(const ReportPlace& place, bool remove) {
  AppendCountMove(DeltaOf(place.key), place.status, remove);
}

void GroupCells::Record(const v1::Document* before, const v1::Document& after) {
  if (!after.has_report() && (before == nullptr || !before->has_report())) {
    return;
  }
  const std::optional<ReportPlace> was = ReportPlaceOf(before);
  const std::optional<ReportPlace> is = ReportPlaceOf(&after);
  if (was != is) {
    if (was.has_value()) AppendCount(*was, /*remove=*/true);
    if (is.has_value()) AppendCount(*is, /*remove=*/false);
  }
  const bool out = Counts(before);
  const bool in = Counts(&after);
  // An edit that leaves the figures as they were moves no value (a
  // narrative edit); a new report has none to compare.
  if (out && in && AggregateEntriesOf(before) == AggregateEntriesOf(&after)) {
    return;
  }
  // The same entries as AggregateEntriesOf's, in map order: the store's
  // fold does not depend on their order.
  auto append = [&](const v1::Report& report, const std::string& key,
                    bool remove) {
    const bool accepted = report.status() == v1::REPORT_STATUS_ACCEPTED;
    for (const auto& [code, indicator] : report.indicators()) {
      if (!std::isfinite(indicator.value())) continue;
      AppendValue(key, code, indicator, accepted, remove);
    }
  };
  if (out) append(before->report(), was->key, /*remove=*/true);
  if (in) append(after.report(), is->key, /*remove=*/false);
}

std::vector<std::pair<std::string, std::string>> GroupCells::Take() {
  std::vector<std::pair<std::string, std::string>> taken;
  taken.reserve(deltas_.size());
  for (auto& [key, delta] : deltas_) {
    taken.emplace_back(key, std::move(delta));
  }
  deltas_.clear();
  last_key_ = nullptr;
  last_delta_ = nullptr;
  std::sort(taken.begin(), taken.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return taken;
}

}  // namespace fieldsync
