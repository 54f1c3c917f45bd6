// The review queue's bounds through the real server, with the tuning's
// numbers: a commune's tablet that keeps amending one report of a locked
// year fills that report's queue; the next amendment is refused with its
// code and written nowhere; a reviewer's decision is never refused for the
// item it settles, and the province's frees a slot; a value too large for a
// review item is refused the same way.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/sync_client.h"
#include "sync/tuning.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;

TEST(ReviewQueueBinaryTest, AFullQueueRefusesUntilAReviewerDecides) {
  t::TempDir dir;
  t::ServerProcess server(dir.Sub("data"));
  ASSERT_FALSE(server.address().empty()) << server.process().err();
  client::AdminClient root(
      server.address(), *client::ReadSecretFile(dir.Sub("data/admin-secret")));
  auto enrol = [&](v1::Role role, const std::string& area) {
    v1::EnrollDeviceRequest request;
    request.set_name(absl::StrCat("máy ", area));
    request.set_role(role);
    request.set_area_id(area);
    auto enrolled = root.Enroll(request);
    EXPECT_OK(enrolled);
    return enrolled.ok() ? *enrolled : v1::EnrollDeviceResponse();
  };
  const v1::EnrollDeviceResponse commune =
      enrol(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  const v1::EnrollDeviceResponse district =
      enrol(v1::ROLE_DISTRICT_OFFICER, "tp-sa-dec");
  const std::string id = commune.device().id();
  client::SyncClient tablet({.target = server.address(),
                             .device_id = id,
                             .secret = commune.secret()});

  // A 2025 report, then 2025 locked: every later edit waits for review.
  auto filed = tablet.Push({t::MutationBuilder(id, 1, "report/q1")
                                .AreaId("xa-tan-phu-dong")
                                .Period("2025")
                                .Results("ban đầu")});
  ASSERT_OK(filed);
  ASSERT_EQ((*filed)[0].outcome(), v1::MUTATION_OUTCOME_APPLIED);
  const uint64_t version = (*filed)[0].version();
  ASSERT_OK(root.LockYear("2025"));

  const int cap = static_cast<int>(tuning::kMaxOpenReviewItemsPerDocument);
  uint64_t seq = 1;
  std::vector<v1::Mutation> edits;
  for (int i = 0; i <= cap; ++i) {
    edits.push_back(t::MutationBuilder(id, ++seq, "report/q1")
                        .Base(version)
                        .Results(absl::StrCat("sửa lần ", i)));
  }
  auto pushed = tablet.Push(edits);
  ASSERT_OK(pushed);
  ASSERT_EQ(pushed->size(), edits.size());
  for (int i = 0; i < cap; ++i) {
    ASSERT_EQ((*pushed)[i].outcome(), v1::MUTATION_OUTCOME_AMENDMENT) << i;
  }
  const v1::MutationResult& refused = pushed->back();
  EXPECT_EQ(refused.outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_EQ(refused.reason_code(), v1::MUTATION_REASON_REVIEW_QUEUE_FULL);
  EXPECT_GT(refused.sequence(), 0u);
  EXPECT_THAT(refused.reason(), HasSubstr(absl::StrCat("report/q1 has ", cap,
                                                       " review items open")));

  // The district sees the hundred, the refused edit nowhere.
  client::AdminClient reviewer(server.address(), district.secret());
  v1::ListConflictsRequest mine;
  mine.set_key("report/q1");
  auto queue = reviewer.ListConflicts(mine);
  ASSERT_OK(queue);
  ASSERT_EQ(queue->conflicts_size(), cap);
  for (const v1::ConflictRecord& item : queue->conflicts()) {
    EXPECT_NE(item.mutation_seq(), refused.mutation_seq());
  }

  // The district's decision on one is let in, though the report's queue is
  // full: in a locked year it waits for the province itself, in the slot of
  // the item it settles. The queue stays full.
  v1::ResolveConflictRequest keep;
  keep.set_id(queue->conflicts(0).id());
  keep.set_resolution(v1::RESOLUTION_KEEP_CURRENT);
  keep.set_comment("giữ nguyên");
  ASSERT_OK(reviewer.ResolveConflict(keep));
  auto edit = [&]() {
    auto pushed = tablet.Push({t::MutationBuilder(id, ++seq, "report/q1")
                                   .Base(version)
                                   .Results("sửa lại")});
    EXPECT_OK(pushed);
    return pushed.ok() ? (*pushed)[0] : v1::MutationResult();
  };
  EXPECT_EQ(edit().reason_code(), v1::MUTATION_REASON_REVIEW_QUEUE_FULL);

  // The province's decision writes the year directly: a slot is free, and
  // the edit, sent again as a new mutation, waits for review.
  auto all = root.ListConflicts(mine);
  ASSERT_OK(all);
  const v1::ConflictRecord& districts = *all->conflicts().rbegin();
  ASSERT_THAT(districts.device_id(), HasSubstr("~admin"));
  v1::ResolveConflictRequest take;
  take.set_id(districts.id());
  take.set_resolution(v1::RESOLUTION_TAKE_WAITING);
  take.set_comment("đồng ý với huyện");
  ASSERT_OK(root.ResolveConflict(take));
  const v1::MutationResult again = edit();
  EXPECT_EQ(again.outcome(), v1::MUTATION_OUTCOME_AMENDMENT) << again.reason();
  EXPECT_EQ(edit().reason_code(), v1::MUTATION_REASON_REVIEW_QUEUE_FULL);

  // A value too large for any review item is refused for its size,
  // whatever the queue.
  auto big = tablet.Push(
      {t::MutationBuilder(id, ++seq, "report/q2")
           .AreaId("xa-tan-phu-dong")
           .Period("2025")
           .Results(std::string(tuning::kMaxReviewItemValueBytes, 'x'))});
  ASSERT_OK(big);
  EXPECT_EQ((*big)[0].outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_EQ((*big)[0].reason_code(), v1::MUTATION_REASON_REVIEW_ITEM_TOO_LARGE);
  EXPECT_THAT((*big)[0].reason(), HasSubstr("nothing was written"));
  v1::ListConflictsRequest other;
  other.set_key("report/q2");
  auto none = reviewer.ListConflicts(other);
  ASSERT_OK(none);
  EXPECT_EQ(none->conflicts_size(), 0);
}

}  // namespace
}  // namespace fieldsync
