#include "sync/rocksdb_store.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

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

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const ColumnFamilyInfo& cf : kColumnFamilies) {
    descriptors.emplace_back(std::string(cf.name),
                             rocksdb::ColumnFamilyOptions());
  }

  std::unique_ptr<RocksDbStore> store(new RocksDbStore(options));
  rocksdb::DB* raw_db = nullptr;
  FS_RETURN_IF_ERROR(
      FromRocks(rocksdb::DB::Open(db_options, path, descriptors,
                                  &store->handles_, &raw_db),
                absl::StrCat("cannot open the store in ", path)));
  store->db_.reset(raw_db);
  return store;
}

rocksdb::ColumnFamilyHandle* RocksDbStore::Handle(ColumnFamily cf) const {
  return handles_[static_cast<size_t>(cf)];
}

absl::Status RocksDbStore::ApplyBatch(const StoreBatch& batch) {
  rocksdb::WriteBatch write_batch;
  std::string value;
  for (const v1::Document& doc : batch.docs()) {
    value.clear();
    if (!doc.SerializeToString(&value)) {
      return absl::InternalError(
          absl::StrCat("cannot serialize document ", doc.key()));
    }
    FS_RETURN_IF_ERROR(FromRocks(
        write_batch.Put(Handle(ColumnFamily::kDocs), doc.key(), value),
        "batch"));
  }
  for (const auto& [key, meta_value] : batch.meta()) {
    FS_RETURN_IF_ERROR(
        FromRocks(write_batch.Put(Handle(ColumnFamily::kMeta), key, meta_value),
                  "batch"));
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.durability == Durability::kSync;
  return FromRocks(db_->Write(write_options, &write_batch), "write");
}

absl::StatusOr<std::optional<v1::Document>> RocksDbStore::GetDoc(
    std::string_view key) {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), Handle(ColumnFamily::kDocs),
               ToSlice(key), &value);
  if (s.IsNotFound()) return std::nullopt;
  FS_RETURN_IF_ERROR(FromRocks(s, "get document"));
  v1::Document doc;
  if (!doc.ParseFromString(value)) {
    return absl::DataLossError(
        absl::StrCat("stored document ", std::string(key), " does not parse"));
  }
  return doc;
}

absl::Status RocksDbStore::ScanDocs(std::string_view prefix,
                                    const DocVisitor& visit) {
  rocksdb::ReadOptions read_options;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(read_options, Handle(ColumnFamily::kDocs)));
  v1::Document doc;
  for (it->Seek(ToSlice(prefix));
       it->Valid() && it->key().starts_with(ToSlice(prefix)); it->Next()) {
    if (!doc.ParseFromArray(it->value().data(),
                            static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat(
          "stored document ", it->key().ToString(), " does not parse"));
    }
    if (!visit(doc)) break;
  }
  return FromRocks(it->status(), "scan documents");
}

absl::StatusOr<std::optional<std::string>> RocksDbStore::GetMeta(
    std::string_view key) {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), Handle(ColumnFamily::kMeta),
               ToSlice(key), &value);
  if (s.IsNotFound()) return std::nullopt;
  FS_RETURN_IF_ERROR(FromRocks(s, "get meta"));
  return value;
}

}  // namespace fieldsync
