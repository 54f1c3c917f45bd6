// The ceiling BM_ReplicaPush_RocksDb is held to: raw rocksdb::DB::Write of
// WriteBatches holding what one Push batch writes, and nothing else (no
// merge, no reads, no protobuf work). The only file of bench/ that
// includes <rocksdb/...>: it measures RocksDB itself.
//
// What is written. CaptureWrites() records the key-value writes ServerReplica
// hands the store for one batch of kBatchSize new reports: per mutation the
// document (in `docs` and in `versions`), the log entry, one scope-log entry
// per scope (province, district, commune) and the dedup result, plus
// `seq/last` in `meta` once per batch. The batch is captured at mutation
// 100001, well inside the range where the benchmarks' sequence numbers have
// 3-byte varints (16384 .. 2097151), so values are byte for byte those of a
// Push batch there. Between batches only the keys change: their last 8 bytes
// (the big-endian sequence or mutation seq; for a report key the last 8
// digits of its id) become a running counter, so every batch adds new keys,
// in increasing order, of the same lengths, as Push does; `seq/last` is
// overwritten, as Push does. Same entries, same column family per entry,
// same key and value bytes.
//
// Column families: the same ten as RocksDbStore, opened with the same
// options (RocksDB defaults plus the create flags), so the WAL, the
// memtables and the flushes see the same load per family; one column
// family would flush at other times and hide the cost of ten memtables.
//
// Timed, as in RocksDbStore::Write: filling the WriteBatch and DB::Write.
// Not timed: rewriting the keys.
#include <benchmark/benchmark.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/bench_dir.h"
#include "bench/report_workload.h"
#include "sync/column_families.h"
#include "sync/kv_store.h"
#include "sync/rocksdb_store.h"

namespace fieldsync::bench {
namespace {

// The mutation_seq of the first mutation of the captured batch.
constexpr uint64_t kCapturedFirstSeq = 100001;

// A DB with the store's column families; handles go before the DB.
struct RawDb {
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  std::unique_ptr<rocksdb::DB> db;

  ~RawDb() {
    if (db != nullptr) {
      for (rocksdb::ColumnFamilyHandle* handle : handles) {
        db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
      }
    }
    handles.clear();
    db.reset();
  }
};

rocksdb::Status OpenRawDb(const std::string& path, RawDb& raw) {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const ColumnFamilyInfo& cf : kColumnFamilies) {
    descriptors.emplace_back(std::string(cf.name),
                             rocksdb::ColumnFamilyOptions());
  }
  rocksdb::DB* db = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(options, path, descriptors, &raw.handles, &db);
  raw.db.reset(db);
  return s;
}

// Overwrites the last 8 bytes of `key` with `n`, big-endian.
void SetTail(std::string& key, uint64_t n) {
  if (key.size() < 8) return;
  for (size_t i = 0; i < 8; ++i) {
    key[key.size() - 1 - i] = static_cast<char>((n >> (8 * i)) & 0xff);
  }
}

const absl::StatusOr<std::vector<KvWrite>>& CapturedBatch() {
  static const absl::StatusOr<std::vector<KvWrite>> captured =
      CaptureWrites(NewReportMutations().Batch(kCapturedFirstSeq, kBatchSize));
  return captured;
}

void BM_RawWriteBatch_RocksDb(benchmark::State& state, Durability durability) {
  const absl::StatusOr<std::vector<KvWrite>>& captured = CapturedBatch();
  if (!captured.ok()) {
    state.SkipWithError(captured.status().ToString().c_str());
    return;
  }
  BenchDir dir;
  RawDb raw;
  if (dir.path().empty()) {
    state.SkipWithError("cannot make a folder under /tmp");
    return;
  }
  if (rocksdb::Status s = OpenRawDb(dir.Sub("db"), raw); !s.ok()) {
    state.SkipWithError(s.ToString().c_str());
    return;
  }
  std::vector<KvWrite> writes = *captured;
  int64_t batch_bytes = 0;
  for (const KvWrite& w : writes) batch_bytes += w.key.size() + w.value.size();
  rocksdb::WriteOptions write_options;
  write_options.sync = durability == Durability::kSync;

  uint64_t counter = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (KvWrite& w : writes) {
      if (w.cf != ColumnFamily::kMeta) SetTail(w.key, ++counter);
    }
    state.ResumeTiming();
    rocksdb::WriteBatch batch;
    rocksdb::Status s;
    for (const KvWrite& w : writes) {
      s = batch.Put(raw.handles[static_cast<size_t>(w.cf)], w.key, w.value);
      if (!s.ok()) break;
    }
    if (s.ok()) s = raw.db->Write(write_options, &batch);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
  }
  // Items are mutation equivalents (kBatchSize per batch), so items/s
  // compares directly with BM_ReplicaPush_RocksDb; bytes are keys + values.
  state.SetItemsProcessed(state.iterations() * kBatchSize);
  state.SetBytesProcessed(state.iterations() * batch_bytes);
  state.SetLabel(absl::StrFormat("%d entries, %d key+value bytes per batch",
                                 writes.size(), batch_bytes));
}
BENCHMARK_CAPTURE(BM_RawWriteBatch_RocksDb, sync, Durability::kSync)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_RawWriteBatch_RocksDb, relaxed, Durability::kRelaxed)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace fieldsync::bench
