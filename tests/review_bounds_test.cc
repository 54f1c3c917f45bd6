// The review queue's bounds (sync/review_bounds.h) through the server
// replica: per device and per document at most so many open items, and at
// most so many bytes of values in one; past a bound the mutation is refused
// with its code, takes its seq and writes nothing; closing an item frees its
// slot; the counts live in meta entries moved in the item's own batch.
#include "sync/review_bounds.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "sync/keys.h"
#include "sync/rocksdb_store.h"
#include "sync/server_replica.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

using ::testing::HasSubstr;
using testing::MutationBuilder;

class ReviewBoundsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = RocksDbStore::Open(dir_.Sub("db"));
    ASSERT_OK(store);
    store_ = std::move(*store);
    Reopen();
  }

  void Reopen() {
    replica_.reset();
    auto replica = ServerReplica::Open({.store = store_.get(),
                                        .areas = &areas_,
                                        .clock = &clock_,
                                        .locked_years = {"2024"},
                                        .review_limits = limits_});
    ASSERT_OK(replica);
    replica_ = std::move(*replica);
  }

  v1::MutationResult Push(v1::Mutation m, const AlsoWrite& also = {}) {
    auto response = replica_->Push({std::move(m)}, {}, {}, also);
    EXPECT_OK(response);
    return response.ok() ? response->results(0) : v1::MutationResult();
  }

  // A new report of 2024, a locked year: an amendment, one review item.
  v1::MutationResult Late(const std::string& device, uint64_t seq,
                          const std::string& id,
                          const std::string& results = "muộn") {
    return Push(MutationBuilder(device, seq, "report/" + id)
                    .AreaId("xa-tan-phu-dong")
                    .Period("2024")
                    .Results(results));
  }

  std::vector<v1::ConflictRecord> Items() {
    std::vector<v1::ConflictRecord> items;
    EXPECT_OK(store_->ScanConflicts([&](const v1::ConflictRecord& r) {
      items.push_back(r);
      return true;
    }));
    return items;
  }

  // The ids of `scope`'s open items, from the index.
  std::vector<uint64_t> Indexed(const std::string& scope) {
    std::vector<uint64_t> ids;
    EXPECT_OK(ScanOpenReviews(*store_, scope, [&](const OpenReview& item) {
      ids.push_back(item.id);
      EXPECT_EQ(item.kind, v1::CONFLICT_KIND_AMENDMENT);
      EXPECT_EQ(item.server_time_micros, clock_.NowMicros());
      return true;
    }));
    return ids;
  }

  uint64_t Count(const std::string& meta_key) {
    auto stored = store_->GetMeta(meta_key);
    EXPECT_OK(stored);
    auto count = ParseOpenReviews(
        meta_key, stored.ok() ? *stored : std::optional<std::string>());
    EXPECT_OK(count);
    return count.ok() ? *count : 0;
  }

  // The review item `id`, resolved.
  v1::ConflictRecord Resolved(uint64_t id) {
    v1::ConflictRecord closed;
    for (const v1::ConflictRecord& r : Items()) {
      if (r.id() == id) closed = r;
    }
    EXPECT_EQ(closed.id(), id);
    closed.set_resolved(true);
    closed.set_resolved_by("reviewer");
    closed.set_resolution("RESOLUTION_KEEP_CURRENT");
    return closed;
  }

  // Closes review item `id` the way a reviewer's decision does: with the
  // decision's mutation (here, a report of an unlocked year), in its batch.
  // `by_also`: the record written by the batch's AlsoWrite instead.
  void Close(uint64_t id, uint64_t reviewer_seq, bool by_also = false) {
    const v1::ConflictRecord closed = Resolved(id);
    v1::Mutation decision =
        MutationBuilder("reviewer~admin", reviewer_seq,
                        absl::StrCat("report/decision-", reviewer_seq))
            .AreaId("xa-tan-phu-dong")
            .Period("2023")
            .Results("quyết định");
    AlsoWrite also;
    std::vector<v1::ConflictRecord> closes;
    if (by_also) {
      also = [closed](const v1::PushResponse&, WriteSet& writes) {
        writes.PutConflict(closed);
      };
    } else {
      closes.push_back(closed);
    }
    auto response = replica_->Push({decision}, {}, {}, also, closes);
    ASSERT_OK(response);
    ASSERT_EQ(response->results(0).outcome(), v1::MUTATION_OUTCOME_APPLIED)
        << response->results(0).reason();
  }

  testing::TempDir dir_;
  AreaTree areas_ = testing::SmallAreaTree();
  FakeClock clock_{1'790'000'000'000'000};
  ReviewLimits limits_{.open_per_device = 3,
                       .open_per_document = 2,
                       .value_bytes_per_item = 1024};
  std::unique_ptr<RocksDbStore> store_;
  std::unique_ptr<ServerReplica> replica_;
};

// A refusal for a bound: REJECTED with its code, its seq taken (a resend is
// a duplicate of the refusal), and nothing of it written.
void ExpectRefused(const v1::MutationResult& r, v1::MutationReason code,
                   const std::string& text) {
  EXPECT_EQ(r.outcome(), v1::MUTATION_OUTCOME_REJECTED) << r.reason();
  EXPECT_EQ(r.reason_code(), code) << r.reason();
  EXPECT_GT(r.sequence(), 0u);
  EXPECT_THAT(r.reason(), HasSubstr(text));
  EXPECT_THAT(r.reason(), HasSubstr("nothing was written"));
}

TEST_F(ReviewBoundsTest, ADeviceFillingItsCapIsRefused) {
  for (uint64_t seq = 1; seq <= 3; ++seq) {
    EXPECT_EQ(Late("t1", seq, absl::StrCat("a", seq)).outcome(),
              v1::MUTATION_OUTCOME_AMENDMENT);
  }
  EXPECT_EQ(Count(OpenReviewsOfDeviceKey("t1")), 3u);

  const v1::MutationResult fourth = Late("t1", 4, "a4");
  ExpectRefused(fourth, v1::MUTATION_REASON_REVIEW_QUEUE_FULL,
                "device t1 has 3 review items open, the most one device may "
                "have");
  EXPECT_EQ(fourth.version(), 0u);
  EXPECT_EQ(Items().size(), 3u);
  EXPECT_FALSE(store_->GetDoc("report/a4")->has_value());
  EXPECT_EQ(Count(OpenReviewsOfDeviceKey("t1")), 3u);
  EXPECT_EQ(Count(OpenReviewsOfDocKey("report/a4")), 0u);
  // Sent again, the same answer, as a duplicate: the seq was taken.
  const v1::MutationResult again = Late("t1", 4, "a4");
  EXPECT_EQ(again.outcome(), v1::MUTATION_OUTCOME_DUPLICATE);
  EXPECT_EQ(again.original_outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_EQ(again.reason_code(), v1::MUTATION_REASON_REVIEW_QUEUE_FULL);

  // The device's edits that open no item go on; other devices' items too.
  EXPECT_EQ(Push(MutationBuilder("t1", 5, "report/b")
                     .AreaId("xa-tan-phu-dong")
                     .Period("2025")
                     .Results("đúng hạn"))
                .outcome(),
            v1::MUTATION_OUTCOME_APPLIED);
  EXPECT_EQ(Late("t2", 1, "c").outcome(), v1::MUTATION_OUTCOME_AMENDMENT);
  // The counts are stored, not worked out: a reopened replica keeps them.
  Reopen();
  ExpectRefused(Late("t1", 6, "a6"), v1::MUTATION_REASON_REVIEW_QUEUE_FULL,
                "device t1 has 3");
}

// A group merged while the one before it is not yet written counts that
// one's items: the counts are read through the groups not yet committed.
TEST_F(ReviewBoundsTest, GroupsNotYetWrittenCount) {
  auto late = [](uint64_t seq) -> v1::Mutation {
    return MutationBuilder("t1", seq, absl::StrCat("report/a", seq))
        .AreaId("xa-tan-phu-dong")
        .Period("2024")
        .Results("muộn");
  };
  auto first = replica_->Prepare({late(1), late(2)});
  ASSERT_OK(first);
  auto second = replica_->Prepare({late(3), late(4)});
  ASSERT_OK(second);
  EXPECT_EQ(second->response().results(0).outcome(),
            v1::MUTATION_OUTCOME_AMENDMENT);
  ExpectRefused(second->response().results(1),
                v1::MUTATION_REASON_REVIEW_QUEUE_FULL, "device t1 has 3");
  std::vector<ServerReplica::PreparedPush> both;
  both.push_back(*std::move(first));
  both.push_back(*std::move(second));
  ASSERT_OK(replica_->Commit(std::move(both)));
  EXPECT_EQ(Count(OpenReviewsOfDeviceKey("t1")), 3u);
  EXPECT_EQ(Items().size(), 3u);
}

TEST_F(ReviewBoundsTest, ClosingAnItemFreesASlotOnce) {
  for (uint64_t seq = 1; seq <= 3; ++seq)
    Late("t1", seq, absl::StrCat("a", seq));
  ExpectRefused(Late("t1", 4, "a4"), v1::MUTATION_REASON_REVIEW_QUEUE_FULL,
                "device t1 has 3");
  const std::vector<v1::ConflictRecord> items = Items();
  ASSERT_EQ(items.size(), 3u);

  using Ids = std::vector<uint64_t>;
  const Ids all = {items[0].id(), items[1].id(), items[2].id()};
  for (const char* scope :
       {"province", "district/tp-sa-dec", "commune/xa-tan-phu-dong"}) {
    EXPECT_EQ(Indexed(scope), all) << scope;
  }
  EXPECT_EQ(Indexed("commune/xa-tan-quy-tay"), Ids{});

  Close(items[0].id(), 1);
  EXPECT_EQ(Count(OpenReviewsOfDeviceKey("t1")), 2u);
  EXPECT_EQ(Count(OpenReviewsOfDocKey("report/a1")), 0u);
  EXPECT_EQ(Indexed("province"), (Ids{items[1].id(), items[2].id()}));
  EXPECT_EQ(Indexed("commune/xa-tan-phu-dong"),
            (Ids{items[1].id(), items[2].id()}));
  EXPECT_EQ(Late("t1", 5, "a5").outcome(), v1::MUTATION_OUTCOME_AMENDMENT);
  EXPECT_EQ(Count(OpenReviewsOfDeviceKey("t1")), 3u);

  // The same item closed again (two reviewers at once) frees nothing more,
  // whichever way the record is written.
  Close(items[0].id(), 2);
  Close(items[0].id(), 3, /*by_also=*/true);
  EXPECT_EQ(Count(OpenReviewsOfDeviceKey("t1")), 3u);
  ExpectRefused(Late("t1", 6, "a6"), v1::MUTATION_REASON_REVIEW_QUEUE_FULL,
                "device t1 has 3");
  // A record closed by a batch's AlsoWrite counts like one it closes.
  Close(items[1].id(), 4, /*by_also=*/true);
  EXPECT_EQ(Count(OpenReviewsOfDeviceKey("t1")), 2u);
  EXPECT_EQ(Late("t1", 7, "a7").outcome(), v1::MUTATION_OUTCOME_AMENDMENT);
}

// A decision that waits for review itself (a district's, in a locked year)
// closes one item and opens another on a full document: it is let in, its
// slot freed by the item it settles; refused, it would close nothing.
TEST_F(ReviewBoundsTest, ADecisionOnAFullDocumentFindsTheSlotItFrees) {
  ASSERT_EQ(Push(MutationBuilder("t1", 1, "report/a")
                     .AreaId("xa-tan-phu-dong")
                     .Period("2025")
                     .Results("ban đầu"))
                .outcome(),
            v1::MUTATION_OUTCOME_APPLIED);
  ASSERT_OK(replica_->LockYear("2025"));
  for (const char* device : {"t2", "t3"}) {
    ASSERT_EQ(
        Push(MutationBuilder(device, 1, "report/a").Base(1).Results(device))
            .outcome(),
        v1::MUTATION_OUTCOME_AMENDMENT);
  }
  const std::vector<v1::ConflictRecord> items = Items();
  ASSERT_EQ(items.size(), 2u);
  v1::Mutation decision =
      MutationBuilder("district~admin", 1, "report/a").Base(1).Results("t2");
  auto decided =
      replica_->Push({decision}, {}, {}, {}, {Resolved(items[0].id())});
  ASSERT_OK(decided);
  EXPECT_EQ(decided->results(0).outcome(), v1::MUTATION_OUTCOME_AMENDMENT)
      << decided->results(0).reason();
  EXPECT_EQ(Count(OpenReviewsOfDocKey("report/a")), 2u);
  EXPECT_EQ(Items().size(), 3u);
  EXPECT_TRUE(Items()[0].resolved());
  // Without a decision, the document is still full.
  ExpectRefused(
      Push(MutationBuilder("t4", 1, "report/a").Base(1).Results("t4")),
      v1::MUTATION_REASON_REVIEW_QUEUE_FULL, "report/a has 2");
  // A decision on an item closed already frees nothing.
  v1::Mutation again =
      MutationBuilder("district~admin", 2, "report/a").Base(1).Results("t3");
  auto refused = replica_->Push({again}, {}, {}, {}, {Resolved(items[0].id())});
  ASSERT_OK(refused);
  ExpectRefused(refused->results(0), v1::MUTATION_REASON_REVIEW_QUEUE_FULL,
                "report/a has 2");
  // A decision refused (here, its value too large) closes nothing.
  auto too_large =
      replica_->Push({MutationBuilder("district~admin", 3, "report/a")
                          .Base(1)
                          .Results(std::string(2000, 'x'))},
                     {}, {}, {}, {Resolved(items[1].id())});
  ASSERT_OK(too_large);
  ExpectRefused(too_large->results(0),
                v1::MUTATION_REASON_REVIEW_ITEM_TOO_LARGE, "would keep");
  EXPECT_FALSE(Items()[1].resolved());
  EXPECT_EQ(Count(OpenReviewsOfDocKey("report/a")), 2u);
}

TEST_F(ReviewBoundsTest, ADocumentFillingItsCapIsRefused) {
  // A report of 2025 filed, then 2025 locked: every edit is an amendment.
  ASSERT_EQ(Push(MutationBuilder("t1", 1, "report/a")
                     .AreaId("xa-tan-phu-dong")
                     .Period("2025")
                     .Results("ban đầu"))
                .outcome(),
            v1::MUTATION_OUTCOME_APPLIED);
  ASSERT_OK(replica_->LockYear("2025"));
  auto edit = [&](const std::string& device, uint64_t seq,
                  const std::string& key) {
    return Push(MutationBuilder(device, seq, key).Base(1).Results(device));
  };
  EXPECT_EQ(edit("t2", 1, "report/a").outcome(),
            v1::MUTATION_OUTCOME_AMENDMENT);
  EXPECT_EQ(edit("t3", 1, "report/a").outcome(),
            v1::MUTATION_OUTCOME_AMENDMENT);
  EXPECT_EQ(Count(OpenReviewsOfDocKey("report/a")), 2u);
  const v1::MutationResult third = edit("t4", 1, "report/a");
  ExpectRefused(third, v1::MUTATION_REASON_REVIEW_QUEUE_FULL,
                "report/a has 2 review items open, the most one document may "
                "have");
  EXPECT_EQ(third.version(), 1u);
  EXPECT_EQ(Items().size(), 2u);
  EXPECT_EQ(Count(OpenReviewsOfDeviceKey("t4")), 0u);
  // The same device on another document is within its bounds.
  EXPECT_EQ(Late("t4", 2, "b").outcome(), v1::MUTATION_OUTCOME_AMENDMENT);
  // A decision on one of the document's items lets the next one in.
  Close(Items()[0].id(), 1);
  EXPECT_EQ(edit("t4", 3, "report/a").outcome(),
            v1::MUTATION_OUTCOME_AMENDMENT);
}

TEST_F(ReviewBoundsTest, AnOversizeValueIsRefused) {
  const std::string big(2000, 'x');
  const v1::MutationResult r = Late("t1", 1, "a", big);
  ExpectRefused(r, v1::MUTATION_REASON_REVIEW_ITEM_TOO_LARGE, "would keep 20");
  EXPECT_THAT(r.reason(), HasSubstr("more than the 1024 one item may keep"));
  EXPECT_TRUE(Items().empty());
  EXPECT_FALSE(store_->GetDoc("report/a")->has_value());
  EXPECT_EQ(Count(OpenReviewsOfDeviceKey("t1")), 0u);
  // The bound is the review item's: the same value outside a review applies.
  EXPECT_EQ(Push(MutationBuilder("t1", 2, "report/b")
                     .AreaId("xa-tan-phu-dong")
                     .Period("2025")
                     .Results(big))
                .outcome(),
            v1::MUTATION_OUTCOME_APPLIED);
  // A conflict keeps three values (base, current, waiting): three texts of
  // about 400 bytes pass 1024 together, though each would fit alone.
  const std::string mid(400, 'y');
  Push(MutationBuilder("t1", 3, "report/c")
           .AreaId("xa-tan-phu-dong")
           .Period("2025")
           .Results(mid));
  const uint64_t base = (*store_->GetDoc("report/c"))->version();
  Push(MutationBuilder("t2", 1, "report/c").Base(base).Results(mid + "2"));
  const v1::MutationResult conflict =
      Push(MutationBuilder("t3", 1, "report/c").Base(base).Results(mid + "3"));
  ExpectRefused(conflict, v1::MUTATION_REASON_REVIEW_ITEM_TOO_LARGE,
                "the review item this conflict would open (report/c) would "
                "keep 12");
  EXPECT_TRUE(Items().empty());
  EXPECT_EQ((*store_->GetDoc("report/c"))->report().results(), mid + "2");
}

// With the tuning's bounds: a document's hundred and first open item is
// refused, whoever sends it, and a 64 KiB value does not fit an item.
TEST_F(ReviewBoundsTest, TheTuningsBounds) {
  limits_ = ReviewLimits();
  Reopen();
  ASSERT_EQ(tuning::kMaxOpenReviewItemsPerDocument, 100u);
  ASSERT_EQ(Push(MutationBuilder("t0", 1, "report/a")
                     .AreaId("xa-tan-phu-dong")
                     .Period("2025")
                     .Results("ban đầu"))
                .outcome(),
            v1::MUTATION_OUTCOME_APPLIED);
  ASSERT_OK(replica_->LockYear("2025"));
  std::vector<v1::Mutation> batch;
  for (int i = 1; i <= 101; ++i) {
    batch.push_back(MutationBuilder(absl::StrCat("t", i), 1, "report/a")
                        .Base(1)
                        .Results(absl::StrCat("sửa ", i)));
  }
  auto response = replica_->Push(batch);
  ASSERT_OK(response);
  EXPECT_EQ(response->summary().amendment(), 100u);
  EXPECT_EQ(response->summary().rejected(), 1u);
  ExpectRefused(response->results(100), v1::MUTATION_REASON_REVIEW_QUEUE_FULL,
                "report/a has 100 review items open");
  EXPECT_EQ(Count(OpenReviewsOfDocKey("report/a")), 100u);

  ExpectRefused(
      Late("t0", 2, "big", std::string(tuning::kMaxReviewItemValueBytes, 'x')),
      v1::MUTATION_REASON_REVIEW_ITEM_TOO_LARGE, "more than the 65536");
}

// A store written before the counts gets them counted once at open, from
// the items open then; resolved ones do not count.
TEST_F(ReviewBoundsTest, AnOlderStoresQueueIsCountedOnce) {
  Late("t1", 1, "a1");
  Late("t1", 2, "a2");
  Close(Items()[0].id(), 1);
  WriteSet forget;
  forget.DeleteMeta(std::string(kOpenReviewCountsMetaKey));
  forget.DeleteMeta(OpenReviewsOfDeviceKey("t1"));
  forget.DeleteMeta(OpenReviewsOfDocKey("report/a2"));
  forget.PutMeta(OpenReviewsOfDocKey("report/stale"), SequenceKey(7));
  forget.DeleteMeta(OpenReviewInScopeKey("province", Items()[1].id()));
  forget.PutMeta(OpenReviewInScopeKey("province", Items()[0].id()),
                 OpenReviewInScopeValue(Items()[0]));
  ASSERT_OK(store_->Apply(forget));
  Reopen();
  // The index holds the open item again, not the resolved one.
  EXPECT_EQ(Indexed("province"), std::vector<uint64_t>{Items()[1].id()});
  EXPECT_TRUE(store_->GetMeta(kOpenReviewCountsMetaKey)->has_value());
  EXPECT_EQ(Count(OpenReviewsOfDeviceKey("t1")), 1u);
  EXPECT_EQ(Count(OpenReviewsOfDocKey("report/a1")), 0u);
  EXPECT_EQ(Count(OpenReviewsOfDocKey("report/a2")), 1u);
  EXPECT_FALSE(
      store_->GetMeta(OpenReviewsOfDocKey("report/stale"))->has_value());
  // Once counted, not again: a count changed by hand stays.
  WriteSet hand;
  hand.PutMeta(OpenReviewsOfDeviceKey("t1"), SequenceKey(3));
  ASSERT_OK(store_->Apply(hand));
  Reopen();
  ExpectRefused(Late("t1", 3, "a3"), v1::MUTATION_REASON_REVIEW_QUEUE_FULL,
                "device t1 has 3");
}

TEST(ReviewBoundsCheckTest, NamesTheBoundPassed) {
  v1::ConflictRecord record;
  record.set_kind(v1::CONFLICT_KIND_FIELD);
  record.set_key("report/a");
  record.set_device_id("t1");
  v1::ConflictValue* value = record.add_values();
  value->set_base_value("12");
  value->set_current_value("345");
  value->set_losing_value("6789");
  EXPECT_EQ(ReviewValueBytes(record), 9u);
  const ReviewLimits limits{
      .open_per_device = 5, .open_per_document = 3, .value_bytes_per_item = 9};
  EXPECT_FALSE(CheckReviewBounds(record, 4, 2, limits).has_value());
  auto device = CheckReviewBounds(record, 5, 2, limits);
  ASSERT_TRUE(device.has_value());
  EXPECT_EQ(device->code, v1::MUTATION_REASON_REVIEW_QUEUE_FULL);
  EXPECT_THAT(device->reason, HasSubstr("device t1 has 5 review items open"));
  auto document = CheckReviewBounds(record, 0, 3, limits);
  ASSERT_TRUE(document.has_value());
  EXPECT_THAT(document->reason, HasSubstr("report/a has 3 review items open"));
  value->set_losing_value("67890");
  auto size = CheckReviewBounds(record, 5, 3, limits);
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->code, v1::MUTATION_REASON_REVIEW_ITEM_TOO_LARGE);
  EXPECT_THAT(size->reason, HasSubstr("would keep 10 bytes"));
}

}  // namespace
}  // namespace fieldsync
