// ServerReplica's two-step push: a group merged on top of groups not yet
// written, commits in order, and what a failed write does to the groups
// merged after it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "absl/synchronization/notification.h"
#include "sync/aggregates.h"
#include "sync/memory_store.h"
#include "sync/server_replica.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

using ::testing::HasSubstr;
using testing::MutationBuilder;

// A MemoryStore whose writes fail once `fail` is set, and which counts the
// writes it took.
class FailingStore : public MemoryStore {
 public:
  std::atomic<bool> fail{false};
  std::atomic<int> writes{0};

 protected:
  absl::Status Write(const std::vector<KvWrite>& w) override {
    if (fail) return absl::InternalError("the disk is gone");
    ++writes;
    return MemoryStore::Write(w);
  }
};

class PreparedPushTest : public ::testing::Test {
 protected:
  void SetUp() override {
    replica_ = *ServerReplica::Open(
        {.store = &store_, .areas = &areas_, .clock = &clock_});
    store_.writes = 0;  // Open's own writes are not the pushes'
  }

  ServerReplica::PreparedPush Prepare(std::vector<v1::Mutation> batch) {
    auto prepared = replica_->Prepare(std::move(batch));
    EXPECT_OK(prepared);
    return *std::move(prepared);
  }

  static v1::Mutation Create(const std::string& device, uint64_t seq,
                             const std::string& id) {
    return MutationBuilder(device, seq, "report/" + id)
        .AreaId("xa-tan-phu-dong")
        .Results("kết quả " + id);
  }

  FailingStore store_;
  AreaTree areas_ = testing::SmallAreaTree();
  FakeClock clock_{1'790'000'000'000'000};
  std::unique_ptr<ServerReplica> replica_;
};

TEST_F(PreparedPushTest, AGroupIsMergedOnTopOfOneNotYetWritten) {
  ServerReplica::PreparedPush first = Prepare({Create("t1", 1, "a")});
  // The second group edits the report the first creates, and goes on with
  // the same device's sequence, while nothing of the first is stored.
  ServerReplica::PreparedPush second =
      Prepare({MutationBuilder("t1", 2, "report/a").Base(1).Results("sửa"),
               Create("t1", 3, "b")});
  EXPECT_EQ(store_.writes, 0);
  EXPECT_FALSE(store_.GetDoc("report/a")->has_value());
  EXPECT_EQ(replica_->last_sequence(), 0u);  // nothing committed
  ASSERT_EQ(second.response().results_size(), 2);
  EXPECT_EQ(second.response().results(0).outcome(),
            v1::MUTATION_OUTCOME_APPLIED)
      << second.response().results(0).reason();
  EXPECT_EQ(second.response().results(0).version(), 2u);

  std::vector<ServerReplica::PreparedPush> both;
  both.push_back(std::move(first));
  both.push_back(std::move(second));
  auto responses = replica_->Commit(std::move(both));
  ASSERT_OK(responses);
  ASSERT_EQ(responses->size(), 2u);
  EXPECT_EQ((*responses)[0].summary().applied(), 1u);
  EXPECT_EQ((*responses)[1].summary().applied(), 2u);
  EXPECT_EQ(replica_->last_sequence(), 3u);
  auto stored = store_.GetDoc("report/a");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->version(), 2u);
  EXPECT_EQ((*stored)->report().results(), "sửa");
  EXPECT_EQ(*store_.GetDeviceSeq("t1"), 3u);
}

TEST_F(PreparedPushTest, ADuplicateOfAGroupNotYetWrittenGetsItsResult) {
  ServerReplica::PreparedPush first = Prepare({Create("t1", 1, "a")});
  ServerReplica::PreparedPush again = Prepare({Create("t1", 1, "a")});
  ASSERT_EQ(again.response().results_size(), 1);
  EXPECT_EQ(again.response().results(0).outcome(),
            v1::MUTATION_OUTCOME_DUPLICATE);
  EXPECT_EQ(again.response().results(0).original_outcome(),
            v1::MUTATION_OUTCOME_APPLIED);
  ASSERT_OK(replica_->Commit(std::move(first)));
  ASSERT_OK(replica_->Commit(std::move(again)));
  EXPECT_EQ(replica_->last_sequence(), 1u);
}

TEST_F(PreparedPushTest, CommitsWaitForTheGroupsPreparedBeforeThem) {
  ServerReplica::PreparedPush first = Prepare({Create("t1", 1, "a")});
  ServerReplica::PreparedPush second = Prepare({Create("t1", 2, "b")});
  absl::Notification second_committed;
  std::thread committer([&] {
    ASSERT_OK(replica_->Commit(std::move(second)));
    second_committed.Notify();
  });
  // The second group cannot be written before the first.
  EXPECT_FALSE(
      second_committed.WaitForNotificationWithTimeout(absl::Milliseconds(100)));
  EXPECT_EQ(store_.writes, 0);
  ASSERT_OK(replica_->Commit(std::move(first)));
  committer.join();
  EXPECT_EQ(store_.writes, 2);
  EXPECT_EQ(replica_->last_sequence(), 2u);
}

TEST_F(PreparedPushTest, AnotherCallersGroupBetweenTwoIsWrittenInItsTurn) {
  // The group committer holds groups 1 and 3; an admin's push took group 2.
  ServerReplica::PreparedPush first = Prepare({Create("t1", 1, "a")});
  ServerReplica::PreparedPush admins = Prepare({Create("admin", 1, "b")});
  ServerReplica::PreparedPush third = Prepare({Create("t1", 2, "c")});
  absl::Notification written;
  std::thread committer([&] {
    std::vector<ServerReplica::PreparedPush> mine;
    mine.push_back(std::move(first));
    mine.push_back(std::move(third));
    auto responses = replica_->Commit(std::move(mine));
    ASSERT_OK(responses);
    EXPECT_EQ(responses->size(), 2u);
    written.Notify();
  });
  // Group 1 is written; group 3 waits for the admin's.
  EXPECT_FALSE(written.WaitForNotificationWithTimeout(absl::Milliseconds(100)));
  EXPECT_EQ(store_.writes, 1);
  ASSERT_OK(replica_->Commit(std::move(admins)));
  committer.join();
  EXPECT_EQ(store_.writes, 3);
  EXPECT_EQ(replica_->last_sequence(), 3u);
  EXPECT_TRUE(store_.GetDoc("report/c")->has_value());
}

TEST_F(PreparedPushTest, AFailedWriteFailsEveryGroupMergedOnIt) {
  ASSERT_OK(replica_->Commit(Prepare({Create("t1", 1, "a")})));
  ServerReplica::PreparedPush failing = Prepare({Create("t1", 2, "b")});
  ServerReplica::PreparedPush on_top = Prepare({Create("t2", 1, "c")});
  store_.fail = true;
  auto failed = replica_->Commit(std::move(failing));
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(failed.status().message(), HasSubstr("the disk is gone"));
  store_.fail = false;
  // Merged on a group that was never written: not written either, though
  // the store works again.
  auto not_written = replica_->Commit(std::move(on_top));
  EXPECT_EQ(not_written.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(store_.writes, 1);
  EXPECT_FALSE(store_.GetDoc("report/c")->has_value());
  EXPECT_EQ(*store_.GetDeviceSeq("t2"), 0u);
  EXPECT_EQ(replica_->last_sequence(), 1u);
  // And nothing more is taken until a restart.
  EXPECT_EQ(replica_->Prepare({Create("t3", 1, "d")}).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(PreparedPushTest, AServerWriteWaitsForTheGroupsPreparedBeforeIt) {
  ServerReplica::PreparedPush first = Prepare({Create("t1", 1, "a")});
  absl::Notification written;
  uint64_t version = 0;
  std::thread writer([&] {
    v1::Document device;
    device.set_key("device/dev-1");
    device.mutable_device()->set_id("dev-1");
    auto doc = replica_->WriteServerDocument(device);
    ASSERT_OK(doc);
    version = doc->version();
    written.Notify();
  });
  EXPECT_FALSE(written.WaitForNotificationWithTimeout(absl::Milliseconds(100)));
  ASSERT_OK(replica_->Commit(std::move(first)));
  writer.join();
  // After the group, in sequence and in the store.
  EXPECT_EQ(version, 2u);
  EXPECT_EQ(replica_->last_sequence(), 2u);
  auto reopened = ServerReplica::Open(
      {.store = &store_, .areas = &areas_, .clock = &clock_});
  ASSERT_OK(reopened);
  EXPECT_EQ((*reopened)->last_sequence(), 2u);
}

}  // namespace
}  // namespace fieldsync

namespace fieldsync {
namespace {

using ::testing::HasSubstr;

// The one writer: what describes a change (its audit record, a review item
// it closes) is written in the change's own batch, and after a failed write
// every kind of write the replica makes is refused, not only pushes.
class OneWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    replica_ = *ServerReplica::Open(
        {.store = &store_, .areas = &areas_, .clock = &clock_});
  }

  size_t AuditEvents() {
    size_t n = 0;
    EXPECT_TRUE(store_
                    .ScanAudit([&](const v1::AuditEvent&) {
                      ++n;
                      return true;
                    })
                    .ok());
    return n;
  }

  static AlsoWrite Audit(const std::string& kind) {
    return [kind](const v1::PushResponse& response, WriteSet& writes) {
      if (response.results(0).outcome() == v1::MUTATION_OUTCOME_REJECTED) {
        return;
      }
      v1::AuditEvent event;
      event.set_kind(kind);
      writes.PutAudit(event);
    };
  }

  FailingStore store_;
  AreaTree areas_ = testing::SmallAreaTree();
  FakeClock clock_{1'790'000'000'000'000};
  std::unique_ptr<ServerReplica> replica_;
};

TEST_F(OneWriterTest, AChangeAndItsRecordLandTogetherOrNotAtAll) {
  auto pushed = replica_->Push({testing::MutationBuilder("t1", 1, "report/a")
                                    .AreaId("xa-tan-phu-dong")
                                    .Indicator("members", 40)
                                    .Status(v1::REPORT_STATUS_SUBMITTED)},
                               {}, {}, Audit("create"));
  ASSERT_OK(pushed);
  EXPECT_EQ(AuditEvents(), 1u);
  EXPECT_EQ(StoredAggregates(store_)->size(), 1u);

  // A refused change writes no record of itself.
  auto refused = replica_->Push({testing::MutationBuilder("t1", 2, "report/b")
                                     .AreaId("xa-khong-co")
                                     .Results("x")},
                                {}, {}, Audit("refused"));
  ASSERT_OK(refused);
  EXPECT_EQ(refused->results(0).outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_EQ(AuditEvents(), 1u);

  // The disk goes: the edit, its aggregate move and its record are all
  // missing, and every later write of any kind is refused with the failure.
  store_.fail = true;
  auto lost = replica_->Push({testing::MutationBuilder("t1", 3, "report/a")
                                  .Base(1)
                                  .Indicator("members", 59)},
                             {}, {}, Audit("edit"));
  EXPECT_FALSE(lost.ok());
  store_.fail = false;
  EXPECT_EQ(AuditEvents(), 1u);
  EXPECT_EQ(
      (*store_.GetDoc("report/a"))->report().indicators().at("members").value(),
      40);
  v1::AuditEvent lock;
  lock.set_kind("lock_year");
  EXPECT_THAT(std::string(replica_->LockYear("2025", lock).message()),
              HasSubstr("refusing further writes"));
  EXPECT_FALSE(replica_->CompactLog(100).ok());
  v1::Document device;
  device.set_key("device/d1");
  device.mutable_device()->set_id("d1");
  EXPECT_FALSE(replica_->WriteServerDocument(device, lock).ok());
  EXPECT_FALSE(replica_->WriteAreas({}, lock).ok());
  EXPECT_EQ(AuditEvents(), 1u);
  EXPECT_FALSE((*store_.GetDoc("device/d1")).has_value());
}

}  // namespace
}  // namespace fieldsync
