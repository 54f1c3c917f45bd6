// One contract, run against every Store implementation (STYLE.md 4).
#include <gtest/gtest.h>

#include <memory>

#include "sync/memory_store.h"
#include "sync/rocksdb_store.h"
#include "tests/temp_dir.h"

namespace fieldsync {
namespace {

v1::Document ModelDoc(const std::string& id, uint64_t version) {
  v1::Document doc;
  doc.set_key("model/" + id);
  doc.set_version(version);
  doc.add_scopes("province");
  doc.mutable_model()->set_id(id);
  doc.mutable_model()->set_name("Mô hình " + id);
  return doc;
}

// Makes the store under test; RocksDB stores live in a per-test folder.
class StoreFactory {
 public:
  virtual ~StoreFactory() = default;
  virtual std::unique_ptr<Store> Open() = 0;
};

class MemoryFactory : public StoreFactory {
 public:
  std::unique_ptr<Store> Open() override {
    return std::make_unique<MemoryStore>();
  }
};

class RocksDbFactory : public StoreFactory {
 public:
  std::unique_ptr<Store> Open() override {
    auto store = RocksDbStore::Open(dir_.Sub("db"));
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

 private:
  testing::TempDir dir_;
};

template <typename Factory>
class StoreContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = factory_.Open();
    ASSERT_NE(store_, nullptr);
  }
  Factory factory_;
  std::unique_ptr<Store> store_;
};

using Factories = ::testing::Types<MemoryFactory, RocksDbFactory>;
TYPED_TEST_SUITE(StoreContractTest, Factories);

TYPED_TEST(StoreContractTest, MissingDocAndMetaAreNullopt) {
  auto doc = this->store_->GetDoc("model/none");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_FALSE(doc->has_value());
  auto meta = this->store_->GetMeta("none");
  ASSERT_TRUE(meta.ok()) << meta.status();
  EXPECT_FALSE(meta->has_value());
}

TYPED_TEST(StoreContractTest, ApplyBatchThenRead) {
  WriteSet batch;
  batch.PutDoc(ModelDoc("tinh-kt-01", 1));
  batch.PutMeta("seq/last", "1");
  ASSERT_TRUE(this->store_->Apply(batch).ok());

  auto doc = this->store_->GetDoc("model/tinh-kt-01");
  ASSERT_TRUE(doc.ok()) << doc.status();
  ASSERT_TRUE(doc->has_value());
  EXPECT_EQ((*doc)->model().name(), "Mô hình tinh-kt-01");
  EXPECT_EQ((*doc)->version(), 1u);
  auto meta = this->store_->GetMeta("seq/last");
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ(meta->value_or(""), "1");
}

TYPED_TEST(StoreContractTest, LaterWriteReplacesEarlier) {
  WriteSet first, second;
  first.PutDoc(ModelDoc("a", 1));
  second.PutDoc(ModelDoc("a", 2));
  ASSERT_TRUE(this->store_->Apply(first).ok());
  ASSERT_TRUE(this->store_->Apply(second).ok());
  auto doc = this->store_->GetDoc("model/a");
  ASSERT_TRUE(doc.ok() && doc->has_value());
  EXPECT_EQ((*doc)->version(), 2u);
}

TYPED_TEST(StoreContractTest, ScanVisitsPrefixInKeyOrderAndCanStop) {
  WriteSet batch;
  for (const char* id : {"c", "a", "b"}) batch.PutDoc(ModelDoc(id, 1));
  v1::Document area;
  area.set_key("area/x");
  batch.PutDoc(area);
  ASSERT_TRUE(this->store_->Apply(batch).ok());

  std::vector<std::string> keys;
  ASSERT_TRUE(this->store_
                  ->ScanDocs("model/",
                             [&](const v1::Document& d) {
                               keys.push_back(d.key());
                               return true;
                             })
                  .ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"model/a", "model/b", "model/c"}));

  keys.clear();
  ASSERT_TRUE(this->store_
                  ->ScanDocs("model/",
                             [&](const v1::Document& d) {
                               keys.push_back(d.key());
                               return false;
                             })
                  .ok());
  EXPECT_EQ(keys.size(), 1u);
}

TEST(RocksDbStoreTest, DataSurvivesReopen) {
  testing::TempDir dir;
  {
    auto store = RocksDbStore::Open(dir.Sub("db"));
    ASSERT_TRUE(store.ok()) << store.status();
    WriteSet batch;
    batch.PutDoc(ModelDoc("kept", 7));
    ASSERT_TRUE((*store)->Apply(batch).ok());
  }
  auto store = RocksDbStore::Open(dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  auto doc = (*store)->GetDoc("model/kept");
  ASSERT_TRUE(doc.ok() && doc->has_value());
  EXPECT_EQ((*doc)->version(), 7u);
}

TEST(RocksDbStoreTest, SecondOpenOfSameFolderIsRefusedWithPath) {
  testing::TempDir dir;
  auto first = RocksDbStore::Open(dir.Sub("db"));
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = RocksDbStore::Open(dir.Sub("db"));
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find(dir.Sub("db")), std::string::npos)
      << second.status();
}

}  // namespace
}  // namespace fieldsync
