#include "sync/rocksdb_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/statistics.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <cstdlib>
#include <cstring>
#include <map>

#include "absl/strings/str_cat.h"
#include "sync/status_macros.h"

namespace fieldsync {
namespace {

// The one place a rocksdb::Status becomes an absl::Status.
absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string message = absl::StrCat(std::string(what), ": ", s.ToString());
  switch (s.code()) {
    case rocksdb::Status::kNotFound:
      return absl::NotFoundError(message);
    case rocksdb::Status::kCorruption:
      return absl::DataLossError(message);
    case rocksdb::Status::kInvalidArgument:
      return absl::InvalidArgumentError(message);
    case rocksdb::Status::kNotSupported:
      return absl::UnimplementedError(message);
    case rocksdb::Status::kBusy:
    case rocksdb::Status::kTimedOut:
    case rocksdb::Status::kTryAgain:
      return absl::UnavailableError(message);
    case rocksdb::Status::kIOError:
      return absl::FailedPreconditionError(message);
    default:
      return absl::InternalError(message);
  }
}

rocksdb::Slice ToSlice(std::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}

// The part of a key before its first NUL (keys.h): the scope of a scope-log
// key, the device of a dedup key, nothing for a log key. Keys sharing it are
// written in increasing order, so RocksDB can insert each next to the last
// one with the same prefix instead of searching the memtable.
class UpToNul : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "fieldsync.UpToNul"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const void* nul = std::memchr(key.data(), '\0', key.size());
    const size_t length =
        nul == nullptr
            ? key.size()
            : static_cast<size_t>(static_cast<const char*>(nul) - key.data());
    return rocksdb::Slice(key.data(), length);
  }
  bool InDomain(const rocksdb::Slice&) const override { return true; }
};

// Per column family tuning; nothing here changes what is stored.
rocksdb::ColumnFamilyOptions CfOptions(
    ColumnFamily cf, const std::shared_ptr<rocksdb::Cache>& block_cache) {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = block_cache;
  switch (cf) {
    case ColumnFamily::kLog:
    case ColumnFamily::kScopeLog:
    case ColumnFamily::kDedup:
      options.memtable_insert_with_hint_prefix_extractor =
          std::make_shared<UpToNul>();
      break;
    case ColumnFamily::kDocs:
    case ColumnFamily::kAggregates: {
      // Every new document (and a new report's aggregate cell) is looked up
      // first and is not there: a bloom filter answers that without reading the
      // table files' blocks.
      table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
      // The same for the memtable, where a push's lookups of new documents
      // otherwise each walk the skip list to find nothing.
      options.memtable_prefix_bloom_size_ratio = 0.02;
      options.memtable_whole_key_filtering = true;
      // A group writes its cells in key order (server_replica_prepare.cc):
      // each is inserted from the last one of its period.
      if (cf == ColumnFamily::kAggregates) {
        options.memtable_insert_with_hint_prefix_extractor =
            std::make_shared<UpToNul>();
      }
      break;
    }
    default:
      break;
  }
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

}  // namespace

RocksDbStore::RocksDbStore(const RocksDbStoreOptions& options)
    : options_(options) {}

RocksDbStore::~RocksDbStore() {
  // RocksDB requires column family handles to go before the DB.
  if (db_ != nullptr) {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    }
  }
  handles_.clear();
  db_.reset();
}

absl::StatusOr<std::unique_ptr<RocksDbStore>> RocksDbStore::Open(
    const std::string& path, const RocksDbStoreOptions& options) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  if (options.env != nullptr) db_options.env = options.env;
  std::unique_ptr<RocksDbStore> store(new RocksDbStore(options));
  if (options.statistics) {
    // Tickers only: histograms and timers cost a clock read per operation.
    store->statistics_ = rocksdb::CreateDBStatistics();
    store->statistics_->set_stats_level(
        rocksdb::StatsLevel::kExceptHistogramOrTimers);
    db_options.statistics = store->statistics_;
  }

  store->block_cache_ = rocksdb::NewLRUCache(options.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const ColumnFamilyInfo& cf : kColumnFamilies) {
    descriptors.emplace_back(std::string(cf.name),
                             CfOptions(cf.id, store->block_cache_));
  }

  rocksdb::DB* raw_db = nullptr;
  if (options.read_only) {
    // A folder that is not a store is an error here, not a new store.
    db_options.create_if_missing = false;
    FS_RETURN_IF_ERROR(
        FromRocks(rocksdb::DB::OpenForReadOnly(db_options, path, descriptors,
                                               &store->handles_, &raw_db),
                  absl::StrCat("cannot open the store in ", path)));
  } else {
    FS_RETURN_IF_ERROR(
        FromRocks(rocksdb::DB::Open(db_options, path, descriptors,
                                    &store->handles_, &raw_db),
                  absl::StrCat("cannot open the store in ", path)));
  }
  store->db_.reset(raw_db);
  return store;
}

absl::StatusOr<uint64_t> RocksDbStore::Checkpoint(const std::string& dir) {
  rocksdb::Checkpoint* raw = nullptr;
  FS_RETURN_IF_ERROR(FromRocks(rocksdb::Checkpoint::Create(db_.get(), &raw),
                               "cannot start a checkpoint"));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // log_size_for_flush 0: the memtables are flushed first, so the copy's
  // data is in table files and its log holds only what came after. The
  // flush switches to a new memtable; writes go on into it meanwhile.
  uint64_t sequence = 0;
  FS_RETURN_IF_ERROR(
      FromRocks(checkpoint->CreateCheckpoint(dir, 0, &sequence),
                absl::StrCat("cannot copy the store into ", dir)));
  return sequence;
}

RocksDbFigures RocksDbStore::Figures() const {
  RocksDbFigures figures;
  auto sum = [&](const std::string& property, uint64_t& into) {
    uint64_t value = 0;
    if (db_->GetAggregatedIntProperty(property, &value)) into = value;
  };
  sum(rocksdb::DB::Properties::kEstimatePendingCompactionBytes,
      figures.pending_compaction_bytes);
  sum(rocksdb::DB::Properties::kEstimateLiveDataSize, figures.live_data_bytes);
  sum(rocksdb::DB::Properties::kTotalSstFilesSize, figures.sst_files_bytes);
  // Map properties name their figures; one missing reads as 0.
  auto number = [](const std::map<std::string, std::string>& map,
                   const std::string& key) -> uint64_t {
    auto it = map.find(key);
    if (it == map.end()) return 0;
    // "12" or "0.033848": the whole part.
    return static_cast<uint64_t>(std::strtod(it->second.c_str(), nullptr));
  };
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    std::map<std::string, std::string> stats;
    if (!db_->GetMapProperty(handle, rocksdb::DB::Properties::kCFStats,
                             &stats)) {
      continue;
    }
    figures.write_slowdowns += number(stats, "io_stalls.total_slowdown");
    figures.write_stops += number(stats, "io_stalls.total_stop");
  }
  std::map<std::string, std::string> db_stats;
  if (db_->GetMapProperty(rocksdb::DB::Properties::kDBStats, &db_stats)) {
    figures.write_stall_micros = number(db_stats, "db.user_write_stall_micros");
  }
  if (statistics_ != nullptr) {
    figures.block_cache_hits =
        statistics_->getTickerCount(rocksdb::BLOCK_CACHE_HIT);
    figures.block_cache_misses =
        statistics_->getTickerCount(rocksdb::BLOCK_CACHE_MISS);
  }
  figures.block_cache_usage_bytes = block_cache_->GetUsage();
  figures.block_cache_capacity_bytes = block_cache_->GetCapacity();
  return figures;
}

rocksdb::ColumnFamilyHandle* RocksDbStore::Handle(ColumnFamily cf) const {
  return handles_[static_cast<size_t>(cf)];
}

absl::Status RocksDbStore::Write(const std::vector<KvWrite>& writes) {
  rocksdb::WriteBatch batch;
  for (const KvWrite& w : writes) {
    FS_RETURN_IF_ERROR(FromRocks(w.remove
                                     ? batch.Delete(Handle(w.cf), w.key)
                                     : batch.Put(Handle(w.cf), w.key, w.value),
                                 "batch"));
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.durability == Durability::kSync;
  return FromRocks(db_->Write(write_options, &batch), "write");
}

namespace {

// Writes go straight into a rocksdb::WriteBatch, allocated once.
class RocksBatch : public KvBatch {
 public:
  RocksBatch(size_t bytes,
             const std::vector<rocksdb::ColumnFamilyHandle*>& handles)
      : batch(bytes), handles_(handles) {}
  void Put(ColumnFamily cf, std::string_view key,
           std::string_view value) override {
    if (status.ok()) {
      status = batch.Put(Handle(cf), ToSlice(key), ToSlice(value));
    }
  }
  void Delete(ColumnFamily cf, std::string_view key) override {
    if (status.ok()) status = batch.Delete(Handle(cf), ToSlice(key));
  }
  rocksdb::WriteBatch batch;
  rocksdb::Status status;  // the first error of a Put or Delete

 private:
  rocksdb::ColumnFamilyHandle* Handle(ColumnFamily cf) const {
    return handles_[static_cast<size_t>(cf)];
  }
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles_;
};

}  // namespace

std::unique_ptr<KvBatch> RocksDbStore::NewBatch(size_t bytes) {
  return std::make_unique<RocksBatch>(bytes, handles_);
}

absl::Status RocksDbStore::WriteBatch(KvBatch& batch, bool durable) {
  auto& rocks = static_cast<RocksBatch&>(batch);
  FS_RETURN_IF_ERROR(FromRocks(rocks.status, "batch"));
  rocksdb::WriteOptions write_options;
  // A sync write syncs the whole log so far, so earlier unsynced writes
  // become durable with it.
  write_options.sync = durable && options_.durability == Durability::kSync;
  return FromRocks(db_->Write(write_options, &rocks.batch), "write");
}

absl::StatusOr<std::optional<std::string>> RocksDbStore::Get(
    ColumnFamily cf, std::string_view key) {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), Handle(cf), ToSlice(key), &value);
  if (s.IsNotFound()) return std::nullopt;
  FS_RETURN_IF_ERROR(FromRocks(s, "get"));
  return value;
}

absl::StatusOr<std::vector<std::optional<std::string>>> RocksDbStore::MultiGet(
    ColumnFamily cf, const std::vector<std::string_view>& keys) {
  std::vector<rocksdb::Slice> slices;
  slices.reserve(keys.size());
  for (std::string_view key : keys) slices.push_back(ToSlice(key));
  std::vector<rocksdb::PinnableSlice> pinned(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  // The batched MultiGet: one memtable and table-file pass for the lot.
  db_->MultiGet(rocksdb::ReadOptions(), Handle(cf), keys.size(), slices.data(),
                pinned.data(), statuses.data());
  std::vector<std::optional<std::string>> values(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    FS_RETURN_IF_ERROR(FromRocks(statuses[i], "multi-get"));
    values[i].emplace(pinned[i].data(), pinned[i].size());
  }
  return values;
}

absl::Status RocksDbStore::Scan(ColumnFamily cf, std::string_view from,
                                std::string_view prefix,
                                const KvVisitor& visit) {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), Handle(cf)));
  for (it->Seek(ToSlice(from));
       it->Valid() && it->key().starts_with(ToSlice(prefix)); it->Next()) {
    if (!visit(std::string_view(it->key().data(), it->key().size()),
               std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status(), "scan");
}

absl::StatusOr<std::optional<std::pair<std::string, std::string>>>
RocksDbStore::Last(ColumnFamily cf, std::string_view prefix,
                   std::string_view upto) {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), Handle(cf)));
  it->SeekForPrev(ToSlice(upto));
  FS_RETURN_IF_ERROR(FromRocks(it->status(), "seek"));
  if (!it->Valid() || !it->key().starts_with(ToSlice(prefix))) {
    return std::nullopt;
  }
  return std::make_pair(it->key().ToString(), it->value().ToString());
}

}  // namespace fieldsync
