// ServerReplica over a real store: ordering, duplicates, summaries, pulls.
#include "sync/server_replica.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sync/deterministic.h"
#include "sync/keys.h"
#include "sync/memory_store.h"
#include "sync/rocksdb_store.h"
#include "sync/store_format.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

using ::testing::HasSubstr;
using testing::MutationBuilder;

class ServerReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = RocksDbStore::Open(dir_.Sub("db"));
    ASSERT_OK(store);
    store_ = std::move(*store);
    replica_ = *ServerReplica::Open(
        {.store = store_.get(), .areas = &areas_, .clock = &clock_});
  }

  v1::PushResponse Push(std::vector<v1::Mutation> batch) {
    auto response = replica_->Push(batch);
    EXPECT_OK(response);
    return response.ok() ? *response : v1::PushResponse();
  }

  v1::Mutation Create(const std::string& device, uint64_t seq,
                      const std::string& id) {
    return MutationBuilder(device, seq, "report/" + id)
        .AreaId("xa-tan-phu-dong")
        .Results("kết quả " + id);
  }

  testing::TempDir dir_;
  AreaTree areas_ = testing::SmallAreaTree();
  FakeClock clock_{1'790'000'000'000'000};
  std::unique_ptr<RocksDbStore> store_;
  std::unique_ptr<ServerReplica> replica_;
};

TEST_F(ServerReplicaTest, OneResultPerMutationAndASummary) {
  v1::PushResponse r =
      Push({Create("t1", 1, "a"), Create("t1", 2, "b"),
            MutationBuilder("t1", 3, "report/a").Base(1).SetRaw("nope", "")});
  ASSERT_EQ(r.results_size(), 3);
  EXPECT_EQ(r.summary().applied(), 2u);
  EXPECT_EQ(r.summary().rejected(), 1u);
  EXPECT_THAT(r.results(2).reason(), HasSubstr("nope"));
  EXPECT_EQ(replica_->last_sequence(), 3u);
}

TEST_F(ServerReplicaTest, ADuplicateGetsItsOriginalResult) {
  v1::PushResponse first = Push({Create("t1", 1, "a")});
  v1::PushResponse again = Push({Create("t1", 1, "a")});
  ASSERT_EQ(again.results_size(), 1);
  EXPECT_EQ(again.results(0).outcome(), v1::MUTATION_OUTCOME_DUPLICATE);
  EXPECT_EQ(again.results(0).original_outcome(), v1::MUTATION_OUTCOME_APPLIED);
  EXPECT_EQ(again.results(0).sequence(), first.results(0).sequence());
  EXPECT_EQ(again.summary().duplicate(), 1u);
  EXPECT_EQ(replica_->last_sequence(), 1u);  // nothing new was taken
}

// A number used before for another mutation is not a duplicate: refused
// with a code and the number to use, nothing taken, and the device's later
// mutations in the batch wait for it (taking them would reorder its edits).
TEST_F(ServerReplicaTest, AReusedNumberIsRefusedNotSwallowed) {
  Push({Create("t1", 1, "a")});
  v1::PushResponse r = Push({Create("t1", 1, "other"), Create("t1", 2, "b")});
  ASSERT_EQ(r.results_size(), 2);
  EXPECT_EQ(r.results(0).outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_EQ(r.results(0).reason_code(), v1::MUTATION_REASON_SEQ_REUSED);
  EXPECT_EQ(r.results(0).expected_seq(), 2u);
  EXPECT_EQ(r.results(0).sequence(), 0u);
  EXPECT_THAT(r.results(0).reason(), HasSubstr("used before"));
  EXPECT_EQ(r.results(1).outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_EQ(r.results(1).reason_code(), v1::MUTATION_REASON_OUT_OF_ORDER);
  EXPECT_EQ(r.results(1).expected_seq(), 2u);
  EXPECT_EQ(replica_->last_sequence(), 1u);
  EXPECT_FALSE(store_->GetDoc("report/other")->has_value());
  EXPECT_FALSE(store_->GetDoc("report/b")->has_value());
  // The same mutation sent again is still a duplicate.
  EXPECT_EQ(Push({Create("t1", 1, "a")}).results(0).outcome(),
            v1::MUTATION_OUTCOME_DUPLICATE);
  // Numbered again from where the server expects, both are taken.
  EXPECT_EQ(Push({Create("t1", 2, "other"), Create("t1", 3, "b")})
                .summary()
                .applied(),
            2u);
}

TEST_F(ServerReplicaTest, AGapIsRefusedAndNothingIsTaken) {
  v1::PushResponse r = Push({Create("t1", 2, "b")});
  EXPECT_EQ(r.results(0).outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_EQ(r.results(0).sequence(), 0u);
  EXPECT_THAT(r.results(0).reason(), HasSubstr("expects 1"));
  EXPECT_EQ(r.results(0).reason_code(), v1::MUTATION_REASON_OUT_OF_ORDER);
  EXPECT_EQ(r.results(0).expected_seq(), 1u);
  EXPECT_EQ(replica_->last_sequence(), 0u);
  // Sent again in order, both go through.
  v1::PushResponse ordered = Push({Create("t1", 1, "a"), Create("t1", 2, "b")});
  EXPECT_EQ(ordered.summary().applied(), 2u);
}

TEST_F(ServerReplicaTest, ALaterMutationInTheBatchSeesAnEarlierOne) {
  v1::PushResponse r = Push(
      {Create("t1", 1, "a"),
       MutationBuilder("t1", 2, "report/a").Base(1).Difficulties("khó khăn")});
  EXPECT_EQ(r.results(1).outcome(), v1::MUTATION_OUTCOME_APPLIED)
      << r.results(1).reason();
  auto doc = store_->GetDoc("report/a");
  ASSERT_TRUE(doc.ok() && doc->has_value());
  EXPECT_EQ((*doc)->report().difficulties(), "khó khăn");
  EXPECT_EQ((*doc)->version(), 2u);
}

TEST_F(ServerReplicaTest, SequencesSurviveAReopen) {
  Push({Create("t1", 1, "a"), Create("t1", 2, "b")});
  replica_.reset();
  replica_ = *ServerReplica::Open(
      {.store = store_.get(), .areas = &areas_, .clock = &clock_});
  EXPECT_EQ(replica_->last_sequence(), 2u);
  EXPECT_EQ(Push({Create("t1", 2, "b")}).results(0).outcome(),
            v1::MUTATION_OUTCOME_DUPLICATE);
  EXPECT_EQ(Push({Create("t1", 3, "c")}).results(0).sequence(), 3u);
}

TEST_F(ServerReplicaTest, PullPagesResumeFromTheirCursorAndOnlyTheScope) {
  std::vector<v1::Mutation> batch;
  for (int i = 1; i <= 30; ++i) {
    batch.push_back(Create("t1", i, "r" + std::to_string(i)));
  }
  batch.push_back(MutationBuilder("t2", 1, "report/lv")
                      .AreaId("xa-vinh-thoi")
                      .Results("Lai Vung"));
  Push(batch);

  std::vector<std::string> keys;
  std::string cursor;
  int pages = 0;
  while (true) {
    auto page = replica_->Pull({"commune/xa-tan-phu-dong"}, cursor, 300);
    ASSERT_OK(page);
    ++pages;
    for (const auto& d : page->documents()) keys.push_back(d.key());
    cursor = page->cursor();
    if (page->done()) break;
  }
  EXPECT_GT(pages, 1);
  EXPECT_EQ(keys.size(), 30u);
  EXPECT_THAT(keys, ::testing::Not(::testing::Contains("report/lv")));

  // Nothing new: an empty last page, same cursor.
  auto again = replica_->Pull({"commune/xa-tan-phu-dong"}, cursor, 300);
  ASSERT_OK(again);
  EXPECT_EQ(again->documents_size(), 0);
  EXPECT_TRUE(again->done());
  EXPECT_EQ(again->cursor(), cursor);

  auto bad = replica_->Pull({"province"}, "xyz", 300);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("cursor"));
}

TEST_F(ServerReplicaTest, CompactionKeepsEveryResumeCorrect) {
  // Three reports edited over and over.
  std::vector<v1::Mutation> batch;
  uint64_t seq = 0;
  for (const char* id : {"a", "b", "c"})
    batch.push_back(Create("t1", ++seq, id));
  Push(batch);
  std::string mid_cursor;
  for (int round = 0; round < 20; ++round) {
    batch.clear();
    for (const char* id : {"a", "b", "c"}) {
      auto doc = store_->GetDoc(std::string("report/") + id);
      batch.push_back(MutationBuilder("t1", ++seq, std::string("report/") + id)
                          .Base((*doc)->version())
                          .Results("round " + std::to_string(round)));
    }
    Push(batch);
    if (round == 9) mid_cursor = EncodeCursor(replica_->last_sequence());
  }
  size_t before = 0;
  ASSERT_TRUE(store_
                  ->ScanEveryScopeLog([&](const ScopeLogEntry&) {
                    ++before;
                    return true;
                  })
                  .ok());
  auto dropped = replica_->CompactLog(replica_->last_sequence());
  ASSERT_OK(dropped);
  size_t after = 0;
  ASSERT_TRUE(store_
                  ->ScanEveryScopeLog([&](const ScopeLogEntry&) {
                    ++after;
                    return true;
                  })
                  .ok());
  EXPECT_EQ(after, 3u * 3u);  // three reports in three scopes each
  EXPECT_GT(before, after);

  // A first pull and a pull from an old cursor both get the latest states,
  // each document once.
  for (const std::string& cursor : {std::string(), mid_cursor}) {
    auto page = replica_->Pull({"commune/xa-tan-phu-dong"}, cursor, 1 << 20);
    ASSERT_OK(page);
    ASSERT_EQ(page->documents_size(), 3);
    for (const auto& d : page->documents()) {
      EXPECT_EQ(d.report().results(), "round 19") << d.key();
    }
    EXPECT_EQ(page->snapshot(), cursor.empty());
  }
  // Device results survive: an old mutation is still a duplicate.
  EXPECT_EQ(Push({Create("t1", 1, "a")}).results(0).outcome(),
            v1::MUTATION_OUTCOME_DUPLICATE);
  EXPECT_EQ(Push({Create("t1", seq + 1, "d")}).results(0).outcome(),
            v1::MUTATION_OUTCOME_APPLIED);
}

TEST_F(ServerReplicaTest, ConflictsAreStoredForReview) {
  Push({Create("t1", 1, "a")});
  Push({MutationBuilder("t1", 2, "report/a").Base(1).Results("one")});
  Push({MutationBuilder("t2", 1, "report/a").Base(1).Results("two")});
  std::vector<v1::ConflictRecord> records;
  ASSERT_TRUE(store_
                  ->ScanConflicts([&](const v1::ConflictRecord& c) {
                    records.push_back(c);
                    return true;
                  })
                  .ok());
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].device_id(), "t2");
  EXPECT_EQ(records[0].key(), "report/a");
}

TEST_F(ServerReplicaTest, OpenRewritesAnOlderStoresDocumentsOnce) {
  Push({Create("t1", 1, "a"), Create("t1", 2, "b")});
  ASSERT_TRUE(store_->GetMeta(kDeterministicDocsMetaKey)->has_value());
  auto before = replica_->Pull({"commune/xa-tan-phu-dong"}, "", 1 << 20);
  ASSERT_OK(before);

  // A store from before the marker and format versions (format 0): Open
  // migrates it, rewriting its documents.
  WriteSet unmark;
  unmark.DeleteMeta(std::string(kDeterministicDocsMetaKey));
  unmark.DeleteMeta(std::string(kFormatMetaKey));
  ASSERT_OK(store_->Apply(unmark));
  replica_ = *ServerReplica::Open(
      {.store = store_.get(), .areas = &areas_, .clock = &clock_});
  EXPECT_THAT(replica_->migrations(),
              ::testing::ElementsAre(::testing::HasSubstr("format 0 to 1")));
  ASSERT_TRUE(store_->GetMeta(kDeterministicDocsMetaKey)->has_value());
  auto after = replica_->Pull({"commune/xa-tan-phu-dong"}, "", 1 << 20);
  ASSERT_OK(after);
  EXPECT_EQ(DeterministicBytes(*after), DeterministicBytes(*before));
  EXPECT_EQ(after->checksum(), PageChecksum(*after));
}

TEST_F(ServerReplicaTest,
       HistoryHoldsEveryVersionThoughOnlyReplacedOnesAreWritten) {
  Push({Create("t1", 1, "a"),
        MutationBuilder("t1", 2, "report/a").Base(1).Results("hai")});
  Push({MutationBuilder("t1", 3, "report/a").Base(2).Results("ba")});
  std::vector<std::string> seen;
  ASSERT_TRUE(store_
                  ->ScanHistory("report/a",
                                [&](const v1::Document& d) {
                                  seen.push_back(d.report().results());
                                  return true;
                                })
                  .ok());
  EXPECT_THAT(seen, ::testing::ElementsAre("kết quả a", "hai", "ba"));
  for (uint64_t v : {1, 2, 3, 9}) {
    auto doc = store_->GetDocAtVersion("report/a", v);
    ASSERT_OK(doc);
    ASSERT_TRUE(doc->has_value()) << v;
    EXPECT_EQ((*doc)->version(), std::min<uint64_t>(v, 3)) << v;
  }
  EXPECT_FALSE(store_->GetDocAtVersion("report/b", 3)->has_value());
}

}  // namespace
}  // namespace fieldsync
