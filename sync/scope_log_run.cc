#include "sync/scope_log_run.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace fieldsync {
namespace {

// First byte of a run. A document key ("<kind>/<id>") never starts with a
// NUL, so a value written before runs is never taken for one.
constexpr char kRunMark = '\0';

void AppendVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

// Reads a varint at `in`'s start and drops it from `in`; false if `in`
// does not start with one.
bool ReadVarint(std::string_view& in, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

}  // namespace

void AppendScopeLogRun(std::string& out, uint64_t base,
                       const std::vector<ScopeLogRunEntry>& entries) {
  out.push_back(kRunMark);
  uint64_t previous = base;
  for (const ScopeLogRunEntry& e : entries) {
    AppendVarint(out, e.sequence - previous);
    AppendVarint(out, e.key.size());
    out.append(e.key);
    previous = e.sequence;
  }
}

absl::StatusOr<bool> VisitScopeLogRecord(
    uint64_t base, std::string_view value,
    absl::FunctionRef<bool(uint64_t sequence, std::string_view key)> visit) {
  auto corrupt = [&](std::string_view in) {
    return absl::DataLossError(absl::StrCat(
        "the scope-log record at sequence ", base,
        " is cut short or corrupt at byte ", value.size() - in.size()));
  };
  // No document key is empty: an empty value was never written.
  if (value.empty()) return corrupt(value);
  if (value.front() != kRunMark) return visit(base, value);
  std::string_view in = value.substr(1);
  uint64_t sequence = base;
  bool first = true;
  while (!in.empty()) {
    uint64_t delta = 0;
    uint64_t size = 0;
    // Entries are written in increasing order, the first at or after the
    // base: a repeated sequence, an empty key or a sequence past the
    // largest number is not a run this code wrote.
    if (!ReadVarint(in, delta) || !ReadVarint(in, size) || size == 0 ||
        size > in.size() || (delta == 0 && !first) ||
        sequence + delta < sequence) {
      return corrupt(in);
    }
    first = false;
    sequence += delta;
    if (!visit(sequence, in.substr(0, size))) return false;
    in.remove_prefix(size);
  }
  return true;
}

}  // namespace fieldsync
