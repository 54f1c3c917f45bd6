// What the live aggregates cost a push: ServerReplica::Push of batches of
// submitted reports with three figures each into a RocksDbStore (sync
// durability), with the aggregates moved in the same write and without.
// The ratio of the two rates is reported after the run (ratio_reporter.h);
// the rest of a push through the server (gRPC, parsing, answers) is the
// same on both sides, so the server's ratio is no lower than this one.
#include <benchmark/benchmark.h>

#include "absl/strings/str_cat.h"
#include "bench/bench_dir.h"
#include "bench/report_workload.h"
#include "sync/rocksdb_store.h"
#include "sync/server_replica.h"

namespace fieldsync::bench {
namespace {

// A province of 12 districts of 8 communes each, like Đồng Tháp's 2021
// tree, and every area that files reports (districts and communes).
struct Province {
  AreaTree tree;
  std::vector<std::string> filing;
};

Province BenchProvince() {
  auto make = [](std::string id, std::string parent, v1::AreaLevel level) {
    v1::Area a;
    a.set_id(std::move(id));
    a.set_parent_id(std::move(parent));
    a.set_level(level);
    return a;
  };
  std::vector<v1::Area> areas = {
      make("dong-thap", "", v1::AREA_LEVEL_PROVINCE)};
  Province province;
  for (int d = 0; d < 12; ++d) {
    const std::string district = absl::StrCat("huyen-", d);
    areas.push_back(make(district, "dong-thap", v1::AREA_LEVEL_DISTRICT));
    province.filing.push_back(district);
    for (int c = 0; c < 8; ++c) {
      const std::string commune = absl::StrCat("xa-", d, "-", c);
      areas.push_back(make(commune, district, v1::AREA_LEVEL_COMMUNE));
      province.filing.push_back(commune);
    }
  }
  province.tree = *AreaTree::Build(std::move(areas));
  return province;
}

void BM_AggregatePush(benchmark::State& state, bool aggregates) {
  BenchDir dir;
  absl::StatusOr<std::unique_ptr<RocksDbStore>> store =
      RocksDbStore::Open(dir.Sub("db"), {.durability = Durability::kSync});
  if (dir.path().empty() || !store.ok()) {
    state.SkipWithError(
        absl::StrCat("cannot open the store: ", store.status().ToString())
            .c_str());
    return;
  }
  const Province province = BenchProvince();
  FakeClock clock(kNowMicros);
  ServerReplicaOptions options;
  options.store = store->get();
  options.areas = &province.tree;
  options.clock = &clock;
  options.aggregates = aggregates;
  absl::StatusOr<std::unique_ptr<ServerReplica>> replica =
      ServerReplica::Open(std::move(options));
  if (!replica.ok()) {
    state.SkipWithError(replica.status().ToString().c_str());
    return;
  }
  // Reports of the whole province: 108 areas x 30 models x 10 years,
  // 32,400 cells of three figures each, so that a group of 500 reports
  // moves about 500 cells, nearly one per report (a commune files one
  // report per model and year).
  const FigureReportMutations reports("tablet-01", province.filing);
  uint64_t next_seq = 1;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<v1::Mutation> batch = reports.Batch(next_seq, kBatchSize);
    next_seq += kBatchSize;
    state.ResumeTiming();
    absl::StatusOr<v1::PushResponse> response = (*replica)->Push(batch);
    if (!response.ok() || response->summary().applied() != kBatchSize) {
      state.SkipWithError(response.ok() ? "not every report was applied"
                                        : response.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatchSize);
}
BENCHMARK_CAPTURE(BM_AggregatePush, on, true)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_AggregatePush, off, false)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace fieldsync::bench
