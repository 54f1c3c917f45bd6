// fieldsync_microbench: the replica engine's Google Benchmark
// microbenchmarks (replica_bench.cc, raw_write_batch_bench.cc). Usual
// benchmark flags apply (--benchmark_filter, --benchmark_min_time,
// --benchmark_out=FILE --benchmark_out_format=json); the console output
// ends with the push/raw ratios of the target.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include "bench/ratio_reporter.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  fieldsync::bench::RatioReporter reporter(
      isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_Color
                            : benchmark::ConsoleReporter::OO_None);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
