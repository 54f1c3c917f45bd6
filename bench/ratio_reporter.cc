#include "bench/ratio_reporter.h"

#include <numeric>
#include <ostream>

#include "absl/strings/str_format.h"

namespace fieldsync::bench {
namespace {

constexpr char kPush[] = "BM_ReplicaPush_RocksDb/";
constexpr char kRaw[] = "BM_RawWriteBatch_RocksDb/";
constexpr char kAggregatesOn[] = "BM_AggregatePush/on";
constexpr char kAggregatesOff[] = "BM_AggregatePush/off";

double Mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / values.size();
}

}  // namespace

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& run : runs) {
    if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
    auto it = run.counters.find("items_per_second");
    if (it == run.counters.end()) continue;
    // BENCHMARK_CAPTURE names are "<function>/<case>".
    const std::string& name = run.run_name.function_name;
    if (!rates_.contains(name)) order_.push_back(name);
    rates_[name].push_back(it->second.value);
  }
  benchmark::ConsoleReporter::ReportRuns(runs);
}

void RatioReporter::Finalize() {
  std::ostream& out = GetOutputStream();
  bool header = false;
  for (const std::string& name : order_) {
    if (name.rfind(kPush, 0) != 0) continue;
    const std::vector<double>& push_rates = rates_[name];
    const std::string durability = name.substr(sizeof(kPush) - 1);
    auto raw = rates_.find(kRaw + durability);
    if (raw == rates_.end()) continue;
    if (!header) {
      out << absl::StrFormat(
          "\nPush / raw WriteBatch rate (target >= %.0f%%):\n",
          kTargetRatio * 100);
      header = true;
    }
    const double push = Mean(push_rates);
    const double ceiling = Mean(raw->second);
    const double ratio = push / ceiling;
    out << absl::StrFormat(
        "  %-8s push %9.0f mutations/s, raw %9.0f mutations/s: %5.1f%% %s\n",
        durability, push, ceiling, ratio * 100,
        ratio >= kTargetRatio ? "(met)" : "(NOT met)");
  }
  // The live aggregates' cost: the push with them against without.
  auto on = rates_.find(kAggregatesOn);
  auto off = rates_.find(kAggregatesOff);
  if (on != rates_.end() && off != rates_.end()) {
    const double ratio = Mean(on->second) / Mean(off->second);
    out << absl::StrFormat(
        "\nPush with live aggregates / without (target >= %.0f%%):\n"
        "  sync     on %9.0f mutations/s, off %9.0f mutations/s: %5.1f%% %s\n",
        kAggregatesTargetRatio * 100, Mean(on->second), Mean(off->second),
        ratio * 100, ratio >= kAggregatesTargetRatio ? "(met)" : "(NOT met)");
  }
  benchmark::ConsoleReporter::Finalize();
}

}  // namespace fieldsync::bench
