#include "server/group_commit.h"

#include <gtest/gtest.h>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "sync/memory_store.h"
#include "sync/tuning.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"

namespace fieldsync::server {
namespace {

using testing::MutationBuilder;

v1::Mutation Create(const std::string& device, uint64_t seq) {
  return MutationBuilder(device, seq,
                         "report/" + device + "-" + std::to_string(seq))
      .AreaId("xa-tan-phu-dong")
      .Results("x");
}

TEST(GroupCommitTest, BatchesWaitingTogetherShareOneWriteAndKeepTheirResults) {
  MemoryStore store;
  AreaTree areas = testing::SmallAreaTree();
  FakeClock clock(1'790'000'000'000'000);
  auto replica =
      *ServerReplica::Open({.store = &store, .areas = &areas, .clock = &clock});
  GroupCommitter committer(replica.get());

  // The first batch's callback holds the writer until the others queue up,
  // so the rest go out together in at most one more group.
  absl::Notification all_queued;
  absl::BlockingCounter answered(11);
  std::vector<v1::PushResponse> responses(11);
  committer.Submit({Create("t0", 1)}, nullptr, [&](auto r) {
    ASSERT_OK(r);
    responses[0] = *r;
    all_queued.WaitForNotification();
    answered.DecrementCount();
  });
  for (int i = 1; i <= 10; ++i) {
    const std::string device = "t" + std::to_string(i % 3 + 1);
    // Two batches per device at most, in order: seq 1 then 2.
    const uint64_t seq = (i - 1) / 3 + 1;
    std::vector<v1::Mutation> batch = {Create(device, seq)};
    if (i == 10) batch.push_back(Create("t1", 5));  // a gap: refused alone
    committer.Submit(std::move(batch), nullptr, [&, i](auto r) {
      ASSERT_OK(r);
      responses[i] = *r;
      answered.DecrementCount();
    });
  }
  all_queued.Notify();
  answered.Wait();

  EXPECT_EQ(committer.batches(), 11);
  // The first batch may have gone alone. While its answer held the
  // committing thread, the merging thread could queue kGroupsPreparedAhead
  // groups and merge one more, which it holds until there is room; the rest
  // went together once the answer let go.
  EXPECT_LE(committer.groups(),
            3 + static_cast<int>(tuning::kGroupsPreparedAhead));
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(responses[i].results_size(), 1) << i;
    EXPECT_EQ(responses[i].results(0).outcome(), v1::MUTATION_OUTCOME_APPLIED)
        << i << ": " << responses[i].results(0).reason();
    EXPECT_EQ(responses[i].summary().applied(), 1u);
  }
  ASSERT_EQ(responses[10].results_size(), 2);
  EXPECT_EQ(responses[10].summary().applied(), 1u);
  EXPECT_EQ(responses[10].summary().rejected(), 1u);
  EXPECT_EQ(responses[10].results(1).mutation_seq(), 5u);
}

}  // namespace
}  // namespace fieldsync::server
