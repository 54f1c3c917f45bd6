// Microbenchmarks of the replica engine (STYLE.md 13): the pure merge over
// one report, and ServerReplica::Push of 500-mutation batches into a
// RocksDbStore. raw_write_batch_bench.cc measures the ceiling Push is held
// to; docs/benchmarks.md has the figures.
#include <benchmark/benchmark.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "bench/bench_dir.h"
#include "bench/report_workload.h"
#include "sync/clock.h"
#include "sync/merge.h"
#include "sync/rocksdb_store.h"
#include "sync/server_replica.h"

namespace fieldsync::bench {
namespace {

// ---------------------------------------------------------------------------
// Merge: one 3-field edit of "report/r1" ("results", "difficulties",
// "indicators/members") against the stored report, three ways.

constexpr char kReportKey[] = "report/r1";

enum class MergeCaseKind {
  kCleanApply,         // the writer saw the current version
  kStaleDisjoint,      // someone else changed other fields since: merged
  kSameFieldConflict,  // someone else changed the same fields: conflict
};

// A mutation from `device` setting the three edited fields to `text`
// variants and `members`.
v1::Mutation ThreeFieldEdit(const std::string& device, uint64_t seq,
                            uint64_t base_version, const std::string& text,
                            double members) {
  v1::Report report;
  report.set_results(absl::StrCat("Kết quả: ", text));
  report.set_difficulties(absl::StrCat("Khó khăn: ", text));
  v1::Indicator& indicator = (*report.mutable_indicators())["members"];
  indicator.set_value(members);
  indicator.set_unit("hội viên");
  v1::Mutation m;
  m.set_device_id(device);
  m.set_mutation_seq(seq);
  m.set_key(kReportKey);
  m.set_base_version(base_version);
  m.set_device_time_micros(kNowMicros);
  m.set_author(absl::StrCat("can-bo-", device));
  m.set_authority(v1::AUTHORITY_COMMUNE);
  for (const char* path : {"results", "difficulties", "indicators/members"}) {
    AddSet(m, report, path);
  }
  return m;
}

// The creating mutation: every field the later edits touch, and more.
v1::Mutation CreateReport() {
  v1::Report report;
  report.set_area_id("xa-tan-phu-dong");
  report.set_period("2025");
  report.set_model_id("huyen-tp-sa-dec-05");
  report.set_results("Tổ hợp tác trồng hoa kiểng duy trì 32 hộ tham gia.");
  report.set_difficulties("Thiếu vốn mở rộng sản xuất.");
  report.set_proposals("Đề nghị hỗ trợ vay vốn ưu đãi.");
  (*report.mutable_indicators())["members"].set_value(32);
  (*report.mutable_indicators())["hectares"].set_value(4.2);
  v1::Mutation m;
  m.set_device_id("tablet-a");
  m.set_mutation_seq(1);
  m.set_key(kReportKey);
  m.set_device_time_micros(kNowMicros);
  m.set_author("can-bo-tablet-a");
  m.set_authority(v1::AUTHORITY_COMMUNE);
  for (const char* path :
       {"area_id", "period", "model_id", "results", "difficulties", "proposals",
        "indicators/members", "indicators/hectares"}) {
    AddSet(m, report, path);
  }
  return m;
}

struct MergeCase {
  v1::Document current;
  std::optional<v1::Document> base;
  v1::Mutation mutation;
  uint64_t sequence = 0;  // the sequence the measured merge takes
  v1::MutationOutcome expected = v1::MUTATION_OUTCOME_UNSPECIFIED;
};

absl::StatusOr<v1::Document> Applied(const v1::Document* current,
                                     const v1::Mutation& m, uint64_t sequence,
                                     const AreaTree& areas) {
  MergeOutcome out = Merge({.current = current}, m,
                           {.sequence = sequence,
                            .server_time_micros = kNowMicros,
                            .areas = &areas});
  if (!out.document.has_value()) {
    return absl::InternalError(
        absl::StrCat("setting up the merge case: ", out.result.reason()));
  }
  return *std::move(out.document);
}

// Builds the stored documents by merging, as the server would have.
absl::StatusOr<MergeCase> MakeMergeCase(MergeCaseKind kind,
                                        const AreaTree& areas) {
  absl::StatusOr<v1::Document> v1_doc =
      Applied(nullptr, CreateReport(), 1, areas);
  if (!v1_doc.ok()) return v1_doc.status();
  MergeCase c;
  // tablet-a edits the three fields from version 1 in every case.
  c.mutation = ThreeFieldEdit("tablet-a", 2, 1, "mở rộng thêm 6 hộ", 38);
  if (kind == MergeCaseKind::kCleanApply) {
    c.current = *std::move(v1_doc);
    c.sequence = 2;
    c.expected = v1::MUTATION_OUTCOME_APPLIED;
    return c;
  }
  // tablet-b changed the report at sequence 2, before tablet-a's edit.
  v1::Mutation other;
  if (kind == MergeCaseKind::kStaleDisjoint) {
    v1::Report report;
    report.set_proposals("Đề nghị mở lớp tập huấn kỹ thuật.");
    (*report.mutable_indicators())["hectares"].set_value(5.1);
    other.set_device_id("tablet-b");
    other.set_mutation_seq(1);
    other.set_key(kReportKey);
    other.set_base_version(1);
    other.set_device_time_micros(kNowMicros);
    other.set_author("can-bo-tablet-b");
    other.set_authority(v1::AUTHORITY_COMMUNE);
    AddSet(other, report, "proposals");
    AddSet(other, report, "indicators/hectares");
    c.expected = v1::MUTATION_OUTCOME_MERGED;
  } else {
    other = ThreeFieldEdit("tablet-b", 1, 1, "giữ ổn định 32 hộ", 33);
    c.expected = v1::MUTATION_OUTCOME_CONFLICT;
  }
  absl::StatusOr<v1::Document> v2_doc = Applied(&*v1_doc, other, 2, areas);
  if (!v2_doc.ok()) return v2_doc.status();
  c.current = *std::move(v2_doc);
  c.base = *std::move(v1_doc);
  c.sequence = 3;
  return c;
}

void RunMerge(benchmark::State& state, MergeCaseKind kind) {
  const AreaTree areas = BenchAreaTree();
  absl::StatusOr<MergeCase> c = MakeMergeCase(kind, areas);
  if (!c.ok()) {
    state.SkipWithError(std::string(c.status().message()).c_str());
    return;
  }
  const MergeInput input{.current = &c->current,
                         .base = c->base ? &*c->base : nullptr};
  const MergeContext context{.sequence = c->sequence,
                             .server_time_micros = kNowMicros,
                             .areas = &areas};
  // The case must take the path it is named after.
  const MergeOutcome check = Merge(input, c->mutation, context);
  if (check.result.outcome() != c->expected) {
    state.SkipWithError(
        absl::StrCat("unexpected outcome ",
                     v1::MutationOutcome_Name(check.result.outcome()), ": ",
                     check.result.reason())
            .c_str());
    return;
  }
  for (auto _ : state) {
    MergeOutcome out = Merge(input, c->mutation, context);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Merge_CleanApply(benchmark::State& state) {
  RunMerge(state, MergeCaseKind::kCleanApply);
}
void BM_Merge_StaleDisjoint(benchmark::State& state) {
  RunMerge(state, MergeCaseKind::kStaleDisjoint);
}
void BM_Merge_SameFieldConflict(benchmark::State& state) {
  RunMerge(state, MergeCaseKind::kSameFieldConflict);
}
BENCHMARK(BM_Merge_CleanApply);
BENCHMARK(BM_Merge_StaleDisjoint);
BENCHMARK(BM_Merge_SameFieldConflict);

// ---------------------------------------------------------------------------
// Push: batches of kBatchSize mutations, each creating a new report, into a
// RocksDbStore in a fresh folder. One device pushes its outbox in order.
// Making the batch is the client's work and is not timed.

void BM_ReplicaPush_RocksDb(benchmark::State& state, Durability durability) {
  BenchDir dir;
  absl::StatusOr<std::unique_ptr<RocksDbStore>> store =
      RocksDbStore::Open(dir.Sub("db"), {.durability = durability});
  if (dir.path().empty() || !store.ok()) {
    state.SkipWithError(
        absl::StrCat("cannot open the store: ", store.status().ToString())
            .c_str());
    return;
  }
  const AreaTree areas = BenchAreaTree();
  FakeClock clock(kNowMicros);
  ServerReplicaOptions options;
  options.store = store->get();
  options.areas = &areas;
  options.clock = &clock;
  absl::StatusOr<std::unique_ptr<ServerReplica>> replica =
      ServerReplica::Open(std::move(options));
  if (!replica.ok()) {
    state.SkipWithError(replica.status().ToString().c_str());
    return;
  }
  const NewReportMutations mutations;
  std::vector<v1::Mutation> batch;
  uint64_t next_seq = 1;
  int64_t payload_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    batch = mutations.Batch(next_seq, kBatchSize);
    next_seq += kBatchSize;
    payload_bytes += PayloadBytes(batch);
    state.ResumeTiming();
    absl::StatusOr<v1::PushResponse> response = (*replica)->Push(batch);
    if (!response.ok() || response->summary().applied() != kBatchSize) {
      const std::string error =
          response.ok() ? absl::StrCat("only ", response->summary().applied(),
                                       " mutations applied")
                        : response.status().ToString();
      state.SkipWithError(error.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatchSize);
  state.SetBytesProcessed(payload_bytes);
}
BENCHMARK_CAPTURE(BM_ReplicaPush_RocksDb, sync, Durability::kSync)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_ReplicaPush_RocksDb, relaxed, Durability::kRelaxed)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace fieldsync::bench
