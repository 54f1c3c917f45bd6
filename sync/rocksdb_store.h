// The RocksDB Store: one DB with the column families of column_families.h.
// The only file set that includes <rocksdb/...> (STYLE.md 4). Thread-safe:
// RocksDB serialises writers itself; FieldSync keeps one writer per store.
#ifndef FIELDSYNC_SYNC_ROCKSDB_STORE_H_
#define FIELDSYNC_SYNC_ROCKSDB_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "sync/column_families.h"
#include "sync/kv_store.h"

namespace rocksdb {
class Cache;
class ColumnFamilyHandle;
class DB;
class Env;
class Statistics;
}  // namespace rocksdb

namespace fieldsync {

// When a write is acknowledged.
enum class Durability {
  kSync,     // after the WAL is fsynced: survives power loss
  kRelaxed,  // after the write reaches the OS: survives a process crash
};

struct RocksDbStoreOptions {
  Durability durability = Durability::kSync;
  // One LRU cache of uncompressed table blocks for every column family.
  // RocksDB's own default is 8 MiB per family: a pull of a scope that is
  // not in the memtable then decompresses a block for each document.
  size_t block_cache_bytes = size_t{256} << 20;
  // Tests pass a memory or fault-injecting Env; nullptr means the default.
  rocksdb::Env* env = nullptr;
  // Opens without writing anything to the folder (no new log, no recovery
  // written back): to check a backup copy as it is. Writes are refused.
  bool read_only = false;
  // RocksDB's tickers (no histograms, no timers): the block cache's hits
  // and misses in Figures(). Off by default: the server turns them on for
  // its metrics; tests and tools need not pay for the counting.
  bool statistics = false;
};

// What an operator watches of RocksDB (server/sampled_metrics.h), summed
// over the column families. Cumulative figures count since the store opened.
struct RocksDbFigures {
  // rocksdb.estimate-pending-compaction-bytes: what compaction is behind
  // by; RocksDB slows, then stops, writes as it grows.
  uint64_t pending_compaction_bytes = 0;
  // rocksdb.estimate-live-data-size: the data itself, without what
  // compaction will drop.
  uint64_t live_data_bytes = 0;
  // rocksdb.total-sst-files-size: what the table files take on disk.
  uint64_t sst_files_bytes = 0;
  // Writes RocksDB slowed down or stopped to let flushes and compactions
  // catch up ("rocksdb.cfstats" io_stalls.total_slowdown / total_stop),
  // and the time writers waited ("rocksdb.dbstats" user_write_stall_micros).
  uint64_t write_slowdowns = 0;
  uint64_t write_stops = 0;
  uint64_t write_stall_micros = 0;
  // Block cache lookups answered from memory and not; zero unless the store
  // was opened with `statistics`.
  uint64_t block_cache_hits = 0;
  uint64_t block_cache_misses = 0;
  uint64_t block_cache_usage_bytes = 0;
  uint64_t block_cache_capacity_bytes = 0;
};

class RocksDbStore : public KvStore {
 public:
  // Opens (creating if needed) the store in directory `path`.
  static absl::StatusOr<std::unique_ptr<RocksDbStore>> Open(
      const std::string& path, const RocksDbStoreOptions& options = {});

  ~RocksDbStore() override;
  RocksDbStore(const RocksDbStore&) = delete;

  // Makes an openable copy of the live store in `dir` (a path that must
  // not exist yet; its parent must) while writes go on: every WriteBatch
  // written before it is in the copy whole, later ones whole or not at all.
  // Returns RocksDB's sequence number the copy holds.
  //
  // A RocksDB Checkpoint rather than a BackupEngine: the copy is a plain
  // RocksDB folder that the server opens as it is (restoring is copying
  // it back, and checking it is opening it read-only), one folder per
  // backup suits a dated folder a night from cron, and nothing else (no
  // backup catalogue) has to be kept in step. Table files are hard links
  // when `dir` is on the store's file system (instant, no extra space; they
  // are never changed in place), copies otherwise; docs/operations.md says
  // to put backups on another disk.
  absl::StatusOr<uint64_t> Checkpoint(const std::string& dir);
  RocksDbStore& operator=(const RocksDbStore&) = delete;

  // RocksDB's own figures, read from its properties and tickers: a few
  // lookups in memory per column family, no I/O. Thread-safe.
  RocksDbFigures Figures() const;

 protected:
  absl::Status Write(const std::vector<KvWrite>& writes) override;
  std::unique_ptr<KvBatch> NewBatch(size_t bytes) override;
  absl::Status WriteBatch(KvBatch& batch, bool durable) override;
  absl::StatusOr<std::optional<std::string>> Get(ColumnFamily cf,
                                                 std::string_view key) override;
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      ColumnFamily cf, const std::vector<std::string_view>& keys) override;
  absl::Status Scan(ColumnFamily cf, std::string_view from,
                    std::string_view prefix, const KvVisitor& visit) override;
  absl::StatusOr<std::optional<std::pair<std::string, std::string>>> Last(
      ColumnFamily cf, std::string_view prefix, std::string_view upto) override;

 private:
  RocksDbStore(const RocksDbStoreOptions& options);
  rocksdb::ColumnFamilyHandle* Handle(ColumnFamily cf) const;

  RocksDbStoreOptions options_;
  // Handles are destroyed before the DB (see the destructor).
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::shared_ptr<rocksdb::Cache> block_cache_;
  std::shared_ptr<rocksdb::Statistics> statistics_;  // null unless asked for
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_ROCKSDB_STORE_H_
