// The report workload the microbenchmarks share: the Sa Đéc corner of the
// area tree, field values made the way a client makes them (ResolvePath +
// ExtractValue on a Report holding the value), and batches of mutations that
// each create a new report.
#ifndef FIELDSYNC_BENCH_REPORT_WORKLOAD_H_
#define FIELDSYNC_BENCH_REPORT_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "fieldsync/v1/report.pb.h"
#include "fieldsync/v1/sync.pb.h"
#include "sync/area_tree.h"
#include "sync/kv_store.h"

namespace fieldsync::bench {

// Mutations per Push batch: the batch size the target names.
inline constexpr int kBatchSize = 500;

// 2025-06-02 08:00:00 UTC, the server clock of every workload.
inline constexpr int64_t kNowMicros = 1748851200LL * 1'000'000;

// dong-thap (province) > tp-sa-dec (district) > xa-tan-phu-dong (commune).
AreaTree BenchAreaTree();

// Appends a FieldSet for `path` whose value is `path` of `report`,
// serialized as a Report with only that field or map entry set.
void AddSet(v1::Mutation& mutation, const v1::Report& report,
            std::string_view path);

// Mutations of one device that each create a new report,
// "report/bench-<8-digit seq>", setting five fields: area, period, model,
// a results text (one of four openings, then 8-40 words drawn from the
// catalogue's vocabulary) and one indicator. Serialized, each is about
// 300-550 bytes. Deterministic: the same salt and seq give the same
// mutation.
class NewReportMutations {
 public:
  // `salt` varies the reports' text between devices.
  explicit NewReportMutations(uint64_t salt = 0);

  // The device's mutation `seq` (>= 1).
  v1::Mutation Make(uint64_t seq) const;
  // Mutations first_seq .. first_seq + count - 1, in order.
  std::vector<v1::Mutation> Batch(uint64_t first_seq, int count) const;

 private:
  // The fields mutation `seq` sets: its own results text and figure.
  std::vector<v1::FieldSet> Sets(uint64_t seq) const;

  const uint64_t salt_;
};

// Submitted reports with figures, for the live aggregates' workloads:
// "report/<device>-<8-digit seq>", filed by one of `areas` (drawn at
// random per report) on one of 30 models of its own, for one of the years
// 2016-2025, with three indicators: members (thành viên), hectares (ha)
// and a share of households (%). Deterministic per device and seq.
class FigureReportMutations {
 public:
  FigureReportMutations(std::string device_id, std::vector<std::string> areas);

  v1::Mutation Make(uint64_t seq) const;
  std::vector<v1::Mutation> Batch(uint64_t first_seq, int count) const;

  // Models per area and years reported on.
  static constexpr int kModelsPerArea = 30;
  static constexpr int kYears = 10;

 private:
  std::string device_id_;
  std::vector<std::string> areas_;
};

// The serialized size of `batch`: the payload a Push carries.
int64_t PayloadBytes(const std::vector<v1::Mutation>& batch);

// The key-value writes, in order, that one ServerReplica::Push of `batch`
// (mutations of one device, in order, each creating a new report) hands to
// its KvStore: what RocksDbStore puts in its WriteBatch. The store is as if
// the device's earlier mutations 1 .. first seq - 1 had been pushed before,
// so the sequence numbers, and the bytes of their varints, are those of a
// real batch at that point.
absl::StatusOr<std::vector<KvWrite>> CaptureWrites(
    const std::vector<v1::Mutation>& batch);

}  // namespace fieldsync::bench

#endif  // FIELDSYNC_BENCH_REPORT_WORKLOAD_H_
