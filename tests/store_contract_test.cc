// One contract, run against every Store implementation (STYLE.md 4).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "sync/memory_store.h"
#include "sync/rocksdb_store.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

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
    EXPECT_OK(store);
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
  ASSERT_OK(doc);
  EXPECT_FALSE(doc->has_value());
  auto meta = this->store_->GetMeta("none");
  ASSERT_OK(meta);
  EXPECT_FALSE(meta->has_value());
}

TYPED_TEST(StoreContractTest, ApplyBatchThenRead) {
  WriteSet batch;
  batch.PutDoc(ModelDoc("tinh-kt-01", 1));
  batch.PutMeta("seq/last", "1");
  ASSERT_OK(this->store_->Apply(batch));

  auto doc = this->store_->GetDoc("model/tinh-kt-01");
  ASSERT_OK(doc);
  ASSERT_TRUE(doc->has_value());
  EXPECT_EQ((*doc)->model().name(), "Mô hình tinh-kt-01");
  EXPECT_EQ((*doc)->version(), 1u);
  auto meta = this->store_->GetMeta("seq/last");
  ASSERT_OK(meta);
  EXPECT_EQ(meta->value_or(""), "1");
}

// Writes encoded ahead of time are not visible until applied; applied
// together, they land in order, so the later value of a key stays.
TYPED_TEST(StoreContractTest, PreparedWritesApplyInOrder) {
  WriteSet first;
  first.PutDoc(ModelDoc("tinh-kt-01", 1));
  first.PutMeta("seq/last", "1");
  WriteSet second;
  second.PutDoc(ModelDoc("tinh-kt-02", 2));
  second.PutMeta("seq/last", "2");
  std::vector<std::unique_ptr<Store::PreparedWrite>> writes;
  writes.push_back(this->store_->PrepareWrite(first));
  writes.push_back(this->store_->PrepareWrite(second));
  // Encoded, not written.
  EXPECT_FALSE(this->store_->GetDoc("model/tinh-kt-01")->has_value());
  EXPECT_FALSE(this->store_->GetMeta("seq/last")->has_value());
  ASSERT_OK(this->store_->ApplyPrepared(writes));
  EXPECT_TRUE(this->store_->GetDoc("model/tinh-kt-01")->has_value());
  EXPECT_TRUE(this->store_->GetDoc("model/tinh-kt-02")->has_value());
  EXPECT_EQ(this->store_->GetMeta("seq/last")->value_or(""), "2");
  auto history = this->store_->GetDocAtVersion("model/tinh-kt-02", 2);
  ASSERT_TRUE(history.ok() && history->has_value());
}

// Many keys at once, unsorted, repeated and missing, each answered in its
// place with the same bytes as one GetDocBytes.
TYPED_TEST(StoreContractTest, GetDocsBytesAnswersEachKeyInPlace) {
  WriteSet batch;
  for (int i = 0; i < 40; ++i) {
    batch.PutDoc(ModelDoc(absl::StrCat("m", i), 1 + i));
  }
  ASSERT_OK(this->store_->Apply(batch));
  std::vector<std::string> keys = {"model/m7", "model/none", "model/m31",
                                   "model/m0", "model/m7"};
  for (int i = 39; i >= 10; --i) keys.push_back(absl::StrCat("model/m", i));
  const std::vector<std::string_view> views(keys.begin(), keys.end());
  auto docs = this->store_->GetDocsBytes(views);
  ASSERT_OK(docs);
  ASSERT_EQ(docs->size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    auto one = this->store_->GetDocBytes(keys[i]);
    ASSERT_OK(one);
    EXPECT_EQ((*docs)[i], *one) << keys[i];
  }
  EXPECT_FALSE((*docs)[1].has_value());
  ASSERT_TRUE((*docs)[2].has_value());
  v1::Document doc;
  ASSERT_TRUE(doc.ParseFromString(*(*docs)[2]));
  EXPECT_EQ(doc.version(), 32u);
  auto none = this->store_->GetDocsBytes({});
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

TYPED_TEST(StoreContractTest, LaterWriteReplacesEarlier) {
  WriteSet first, second;
  first.PutDoc(ModelDoc("a", 1));
  second.PutDoc(ModelDoc("a", 2));
  ASSERT_OK(this->store_->Apply(first));
  ASSERT_OK(this->store_->Apply(second));
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
  ASSERT_OK(this->store_->Apply(batch));

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

// A page of a list goes on from the key the last one ended at: a seek.
TYPED_TEST(StoreContractTest, ScanDocsAfterStartsPastTheGivenKey) {
  WriteSet batch;
  for (const char* id : {"c", "a", "b", "b-1"}) batch.PutDoc(ModelDoc(id, 1));
  v1::Document area;
  area.set_key("area/x");
  batch.PutDoc(area);
  v1::Document report;
  report.set_key("report/y");
  batch.PutDoc(report);
  ASSERT_OK(this->store_->Apply(batch));
  auto after = [&](std::string_view key) {
    std::vector<std::string> keys;
    EXPECT_OK(
        this->store_->ScanDocsAfter("model/", key, [&](const v1::Document& d) {
          keys.push_back(d.key());
          return true;
        }));
    return keys;
  };
  using Keys = std::vector<std::string>;
  EXPECT_EQ(after(""), (Keys{"model/a", "model/b", "model/b-1", "model/c"}));
  EXPECT_EQ(after("model/a"), (Keys{"model/b", "model/b-1", "model/c"}));
  EXPECT_EQ(after("model/b"), (Keys{"model/b-1", "model/c"}));
  EXPECT_EQ(after("model/bb"), (Keys{"model/c"}));
  EXPECT_EQ(after("model/c"), (Keys{}));
  // A key outside the prefix: before it, all; after it, none.
  EXPECT_EQ(after("area/x").size(), 4u);
  EXPECT_EQ(after("report/a"), (Keys{}));
}

TYPED_TEST(StoreContractTest, HistoryKeepsEveryVersion) {
  for (uint64_t v : {3u, 5u, 9u}) {
    WriteSet writes;
    writes.PutDoc(ModelDoc("h", v));
    ASSERT_OK(this->store_->Apply(writes));
  }
  auto at = [&](uint64_t v) {
    auto doc = this->store_->GetDocAtVersion("model/h", v);
    EXPECT_OK(doc);
    return doc.ok() && doc->has_value() ? (*doc)->version() : 0;
  };
  EXPECT_EQ(at(2), 0u);  // not yet created
  EXPECT_EQ(at(3), 3u);
  EXPECT_EQ(at(7), 5u);
  EXPECT_EQ(at(100), 9u);
  std::vector<uint64_t> versions;
  ASSERT_TRUE(this->store_
                  ->ScanHistory("model/h",
                                [&](const v1::Document& d) {
                                  versions.push_back(d.version());
                                  return true;
                                })
                  .ok());
  EXPECT_EQ(versions, (std::vector<uint64_t>{3, 5, 9}));
  // From a version on, the current state included (a page of a history).
  auto after = [&](uint64_t version) {
    std::vector<uint64_t> seen;
    EXPECT_OK(this->store_->ScanHistoryAfter("model/h", version,
                                             [&](const v1::Document& d) {
                                               seen.push_back(d.version());
                                               return true;
                                             }));
    return seen;
  };
  EXPECT_EQ(after(0), (std::vector<uint64_t>{3, 5, 9}));
  EXPECT_EQ(after(3), (std::vector<uint64_t>{5, 9}));
  EXPECT_EQ(after(4), (std::vector<uint64_t>{5, 9}));
  EXPECT_EQ(after(9), (std::vector<uint64_t>{}));
  EXPECT_EQ(after(UINT64_MAX), (std::vector<uint64_t>{}));
  // The current state only, not yet in the history (PutCurrentDoc).
  WriteSet current;
  current.PutHistory(std::make_shared<v1::Document>(ModelDoc("h", 9)));
  current.PutCurrentDoc(std::make_shared<v1::Document>(ModelDoc("h", 12)));
  ASSERT_OK(this->store_->Apply(current));
  EXPECT_EQ(after(5), (std::vector<uint64_t>{9, 12}));
  EXPECT_EQ(after(9), (std::vector<uint64_t>{12}));
  EXPECT_EQ(after(12), (std::vector<uint64_t>{}));
  // A key that extends another ("model/h" < "model/h2") keeps its own.
  auto other = this->store_->GetDocAtVersion("model/h2", 100);
  ASSERT_OK(other);
  EXPECT_FALSE(other->has_value());
}

TYPED_TEST(StoreContractTest, ScopeLogScansFromACursorInOrder) {
  WriteSet writes;
  for (uint64_t seq : {4u, 1u, 300u, 2u}) {
    writes.PutScopeLog({"commune/x", seq, "report/" + std::to_string(seq)});
  }
  writes.PutScopeLog({"commune/x2", 3, "report/other"});
  ASSERT_OK(this->store_->Apply(writes));
  std::vector<uint64_t> seqs;
  ASSERT_TRUE(this->store_
                  ->ScanScopeLog("commune/x", 1,
                                 [&](const ScopeLogEntry& e) {
                                   seqs.push_back(e.sequence);
                                   EXPECT_EQ(e.scope, "commune/x");
                                   return true;
                                 })
                  .ok());
  EXPECT_EQ(seqs, (std::vector<uint64_t>{2, 4, 300}));
}

// Each write's entries of a scope follow every earlier write's (store.h);
// a cursor may fall inside what one write wrote.
TYPED_TEST(StoreContractTest, ScopeLogResumesInsideAWrite) {
  for (uint64_t first : {1u, 501u, 1001u}) {
    WriteSet writes;
    for (uint64_t seq = first; seq < first + 500; ++seq) {
      writes.PutScopeLog({"commune/x", seq, "report/" + std::to_string(seq)});
      writes.PutScopeLog({"province", seq, "report/" + std::to_string(seq)});
    }
    ASSERT_OK(this->store_->Apply(writes));
  }
  for (uint64_t after : {0u, 1u, 250u, 500u, 501u, 1499u, 1500u}) {
    std::vector<uint64_t> seqs;
    ASSERT_TRUE(this->store_
                    ->ScanScopeLog("commune/x", after,
                                   [&](const ScopeLogEntry& e) {
                                     EXPECT_EQ(e.key, absl::StrCat("report/",
                                                                   e.sequence));
                                     seqs.push_back(e.sequence);
                                     return seqs.size() < 600;
                                   })
                    .ok());
    const uint64_t expected = std::min<uint64_t>(1500 - after, 600);
    ASSERT_EQ(seqs.size(), expected) << "after " << after;
    for (size_t i = 0; i < seqs.size(); ++i) {
      ASSERT_EQ(seqs[i], after + 1 + i) << "after " << after;
    }
  }
}

// Compaction takes single entries out of what one write wrote.
TYPED_TEST(StoreContractTest, ScopeLogDeletesSingleEntries) {
  WriteSet writes;
  for (uint64_t seq = 1; seq <= 10; ++seq) {
    writes.PutScopeLog({"commune/x", seq, "report/" + std::to_string(seq)});
  }
  writes.PutScopeLog({"commune/y", 11, "report/11"});
  ASSERT_OK(this->store_->Apply(writes));
  WriteSet compaction;
  for (uint64_t seq : {1u, 2u, 5u, 10u}) {
    compaction.DeleteScopeLog(
        {"commune/x", seq, "report/" + std::to_string(seq)});
  }
  compaction.DeleteScopeLog({"commune/y", 11, "report/11"});
  compaction.DeleteScopeLog({"commune/z", 3, "report/3"});  // none there
  ASSERT_OK(this->store_->Apply(compaction));
  std::vector<std::string> left;
  ASSERT_TRUE(this->store_
                  ->ScanEveryScopeLog([&](const ScopeLogEntry& e) {
                    left.push_back(absl::StrCat(e.scope, "@", e.sequence));
                    return true;
                  })
                  .ok());
  EXPECT_EQ(left, (std::vector<std::string>{"commune/x@3", "commune/x@4",
                                            "commune/x@6", "commune/x@7",
                                            "commune/x@8", "commune/x@9"}));
  std::vector<uint64_t> seqs;
  ASSERT_TRUE(this->store_
                  ->ScanScopeLog("commune/x", 3,
                                 [&](const ScopeLogEntry& e) {
                                   seqs.push_back(e.sequence);
                                   return true;
                                 })
                  .ok());
  EXPECT_EQ(seqs, (std::vector<uint64_t>{4, 6, 7, 8, 9}));
}

TYPED_TEST(StoreContractTest, SnapshotOfAScopeHoldsItsCurrentDocuments) {
  WriteSet writes;
  v1::Document a = ModelDoc("a", 1), b = ModelDoc("b", 2);
  a.add_scopes("district/tp-sa-dec");
  writes.PutScopeLog({"district/tp-sa-dec", 1, a.key()});
  writes.PutScopeLog({"district/tp-sa-dec", 2, b.key()});  // b moved away
  writes.PutDoc(a);
  writes.PutDoc(b);
  v1::Document a2 = a;
  a2.set_version(3);
  writes.PutScopeLog({"district/tp-sa-dec", 3, a.key()});
  writes.PutDoc(a2);
  ASSERT_OK(this->store_->Apply(writes));
  std::vector<std::string> seen;
  ASSERT_TRUE(this->store_
                  ->SnapshotScope("district/tp-sa-dec",
                                  [&](const v1::Document& d) {
                                    seen.push_back(absl::StrCat(d.key(), "@",
                                                                d.version()));
                                    return true;
                                  })
                  .ok());
  EXPECT_EQ(seen, std::vector<std::string>{"model/a@3"});
}

TYPED_TEST(StoreContractTest, MetaScansByPrefixAndDeletes) {
  WriteSet writes;
  writes.PutMeta("outbox/2", "b");
  writes.PutMeta("outbox/1", "a");
  writes.PutMeta("other", "x");
  ASSERT_OK(this->store_->Apply(writes));
  WriteSet remove;
  remove.DeleteMeta("outbox/1");
  ASSERT_FALSE(remove.empty());
  ASSERT_OK(this->store_->Apply(remove));
  std::vector<std::string> seen;
  ASSERT_TRUE(this->store_
                  ->ScanMeta("outbox/",
                             [&](std::string_view k, std::string_view v) {
                               seen.push_back(std::string(k) + "=" +
                                              std::string(v));
                               return true;
                             })
                  .ok());
  EXPECT_EQ(seen, std::vector<std::string>{"outbox/2=b"});
}

TYPED_TEST(StoreContractTest, ResultsGiveTheDeviceSequence) {
  auto seq = this->store_->GetDeviceSeq("t1");
  ASSERT_OK(seq);
  EXPECT_EQ(*seq, 0u);
  WriteSet writes;
  for (uint64_t s : {1u, 2u, 256u}) {
    v1::MutationResult r;
    r.set_device_id("t1");
    r.set_mutation_seq(s);
    r.set_outcome(v1::MUTATION_OUTCOME_APPLIED);
    writes.PutResult(r);
  }
  v1::MutationResult other;
  other.set_device_id("t10");
  other.set_mutation_seq(999);
  writes.PutResult(other);
  ASSERT_OK(this->store_->Apply(writes));
  EXPECT_EQ(*this->store_->GetDeviceSeq("t1"), 256u);
  EXPECT_EQ(*this->store_->GetDeviceSeq("t10"), 999u);
  auto r = this->store_->GetResult("t1", 2);
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->outcome(), v1::MUTATION_OUTCOME_APPLIED);
  EXPECT_FALSE(this->store_->GetResult("t1", 3)->has_value());
}

TYPED_TEST(StoreContractTest, LogAndConflictsScanInOrder) {
  WriteSet writes;
  for (uint64_t s : {2u, 1u, 3u}) {
    v1::LogEntry e;
    e.set_sequence(s);
    writes.PutLog(e);
    v1::ConflictRecord c;
    c.set_id(s * 10);
    writes.PutConflict(c);
  }
  ASSERT_OK(this->store_->Apply(writes));
  std::vector<uint64_t> log, conflicts;
  ASSERT_TRUE(this->store_
                  ->ScanLog(1,
                            [&](const v1::LogEntry& e) {
                              log.push_back(e.sequence());
                              return true;
                            })
                  .ok());
  ASSERT_TRUE(this->store_
                  ->ScanConflicts([&](const v1::ConflictRecord& c) {
                    conflicts.push_back(c.id());
                    return true;
                  })
                  .ok());
  EXPECT_EQ(log, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(conflicts, (std::vector<uint64_t>{10, 20, 30}));
  // From a point on: a page of the review queue, a lookup of one item.
  auto after = [&](uint64_t id) {
    std::vector<uint64_t> ids;
    EXPECT_TRUE(this->store_
                    ->ScanConflictsAfter(id,
                                         [&](const v1::ConflictRecord& c) {
                                           ids.push_back(c.id());
                                           return true;
                                         })
                    .ok());
    return ids;
  };
  EXPECT_EQ(after(0), (std::vector<uint64_t>{10, 20, 30}));
  EXPECT_EQ(after(10), (std::vector<uint64_t>{20, 30}));
  EXPECT_EQ(after(19), (std::vector<uint64_t>{20, 30}));
  EXPECT_EQ(after(30), (std::vector<uint64_t>{}));
  EXPECT_EQ(after(UINT64_MAX), (std::vector<uint64_t>{}));
}

TEST(RocksDbStoreTest, DataSurvivesReopen) {
  testing::TempDir dir;
  {
    auto store = RocksDbStore::Open(dir.Sub("db"));
    ASSERT_OK(store);
    WriteSet batch;
    batch.PutDoc(ModelDoc("kept", 7));
    ASSERT_OK((*store)->Apply(batch));
  }
  auto store = RocksDbStore::Open(dir.Sub("db"));
  ASSERT_OK(store);
  auto doc = (*store)->GetDoc("model/kept");
  ASSERT_TRUE(doc.ok() && doc->has_value());
  EXPECT_EQ((*doc)->version(), 7u);
}

TEST(RocksDbStoreTest, SecondOpenOfSameFolderIsRefusedWithPath) {
  testing::TempDir dir;
  auto first = RocksDbStore::Open(dir.Sub("db"));
  ASSERT_OK(first);
  auto second = RocksDbStore::Open(dir.Sub("db"));
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find(dir.Sub("db")), std::string::npos)
      << second.status();
}

}  // namespace
}  // namespace fieldsync
