// The console output of Google Benchmark, followed by the target:
// for each durability, the rate of BM_ReplicaPush_RocksDb/<durability>
// against BM_RawWriteBatch_RocksDb/<durability> (items/s: mutations, and
// mutation equivalents for the raw writes), and whether it is >= 50%.
#ifndef FIELDSYNC_BENCH_RATIO_REPORTER_H_
#define FIELDSYNC_BENCH_RATIO_REPORTER_H_

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace fieldsync::bench {

// The share of the raw WriteBatch rate a Push must sustain.
inline constexpr double kTargetRatio = 0.5;
// The share of the rate without live aggregates a push with them must keep
// (BM_AggregatePush/on against /off).
inline constexpr double kAggregatesTargetRatio = 0.9;

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  explicit RatioReporter(OutputOptions options)
      : benchmark::ConsoleReporter(options) {}

  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

 private:
  // items/s of each iteration run, by benchmark name without "/real_time".
  std::map<std::string, std::vector<double>> rates_;
  // The names of rates_, in the order they ran.
  std::vector<std::string> order_;
};

}  // namespace fieldsync::bench

#endif  // FIELDSYNC_BENCH_RATIO_REPORTER_H_
