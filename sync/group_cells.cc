#include "sync/group_cells.h"

#include "sync/status_macros.h"

namespace fieldsync {

void GroupCells::Record(const v1::Document* before, const v1::Document& after) {
  if (!after.has_report() && (before == nullptr || !before->has_report())) {
    return;
  }
  std::optional<ReportPlace> was = ReportPlaceOf(before);
  std::optional<ReportPlace> is = ReportPlaceOf(&after);
  if (was != is) {
    if (was.has_value()) counts_.emplace_back(*std::move(was), false);
    if (is.has_value()) counts_.emplace_back(*std::move(is), true);
  }
  std::vector<AggregateEntry> out = AggregateEntriesOf(before);
  std::vector<AggregateEntry> in = AggregateEntriesOf(&after);
  if (out == in) return;
  for (AggregateEntry& e : out) moves_.emplace_back(std::move(e), false);
  for (AggregateEntry& e : in) moves_.emplace_back(std::move(e), true);
}

absl::StatusOr<uint64_t> GroupCells::Apply(
    Store& store, const CellMap& cache,
    const std::vector<const CellMap*>& earlier, CellMap& out) const {
  // Each cell's newest state, to be moved in place: whoever else holds it
  // (the cache, an earlier group's map) holds an older state that nothing
  // reads any more, since every reader looks for the newest, and the
  // earlier groups' writes are encoded already. The keys of cells not held
  // in memory are copied (`out` may rehash as it grows) and read together.
  std::vector<std::string> missing;
  // Finds `key`'s newest state, or marks it to be read from the store.
  auto take = [&](const std::string& key) {
    auto [it, added] = out.try_emplace(key);
    if (!added) return;
    const std::shared_ptr<v1::AggregateCell>* newest = nullptr;
    if (auto c = cache.find(key); c != cache.end()) {
      newest = &c->second;
    } else {
      for (auto g = earlier.rbegin(); g != earlier.rend() && !newest; ++g) {
        if (auto c = (*g)->find(key); c != (*g)->end()) newest = &c->second;
      }
    }
    if (newest != nullptr) {
      it->second = *newest;
    } else {
      it->second = std::make_shared<v1::AggregateCell>();
      missing.push_back(it->first);
    }
  };
  // A change's entries share a cell and come one after the other.
  const std::string* previous = nullptr;
  for (const auto& [entry, add] : moves_) {
    if (previous != nullptr && *previous == entry.key) continue;
    previous = &entry.key;
    take(entry.key);
  }
  for (const auto& [place, add] : counts_) take(place.key);
  if (!missing.empty()) {
    std::vector<std::string_view> keys(missing.begin(), missing.end());
    FS_ASSIGN_OR_RETURN(std::vector<std::optional<v1::AggregateCell>> stored,
                        store.GetAggregates(keys));
    for (size_t i = 0; i < missing.size(); ++i) {
      if (!stored[i].has_value()) continue;
      *out.find(missing[i])->second = *std::move(stored[i]);
    }
  }
  previous = nullptr;
  v1::AggregateCell* cell = nullptr;
  uint64_t mismatches = 0;
  for (const auto& [entry, add] : moves_) {
    if (previous == nullptr || *previous != entry.key) {
      previous = &entry.key;
      cell = out.find(entry.key)->second.get();
    }
    // Taking out a value the cell lacks means cells and reports disagree:
    // counted, not refused (the property test holds the count at 0).
    if (!MoveEntry(*cell, entry, add)) ++mismatches;
  }
  for (const auto& [place, add] : counts_) {
    if (!MoveReportCount(*out.find(place.key)->second, place.status, add)) {
      ++mismatches;
    }
  }
  return mismatches;
}

}  // namespace fieldsync
