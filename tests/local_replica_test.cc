// The tablet's local replica: edits made offline survive a restart, and two
// tablets that edit one report offline end equal once both sync through the
// real server, their different indicators merged and the one real conflict
// reported.
#include "client-sdk/local_replica.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "client-sdk/admin_client.h"
#include "client-sdk/sync_client.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;

v1::FieldSet Indicator(const std::string& code, double value) {
  return t::IndicatorSet(code, value);
}
v1::FieldSet Results(const std::string& text) {
  return t::ReportSet("results", text);
}
v1::FieldSet Area(const std::string& area) {
  return t::ReportSet("area_id", area);
}
using client::LocalReplica;

TEST(LocalReplicaTest, OfflineEditsSurviveARestart) {
  t::TempDir dir;
  {
    auto replica = LocalReplica::Open(dir.Sub("tablet"), "dev-a");
    ASSERT_OK(replica);
    ASSERT_TRUE((*replica)
                    ->Edit("report/r1",
                           {Area("xa-tan-phu-dong"), Indicator("members", 59)},
                           0, "cán bộ")
                    .ok());
    v1::FieldSet wrong;
    wrong.set_path("colour");
    EXPECT_FALSE((*replica)->Edit("report/r1", {wrong}, 0, "x").ok());
  }
  auto replica = LocalReplica::Open(dir.Sub("tablet"), "dev-a");
  ASSERT_OK(replica);
  auto outbox = (*replica)->Outbox();
  ASSERT_OK(outbox);
  ASSERT_EQ(outbox->size(), 1u);
  EXPECT_EQ((*outbox)[0].mutation_seq(), 1u);
  auto doc = (*replica)->Get("report/r1");
  ASSERT_TRUE(doc.ok() && doc->has_value());
  EXPECT_EQ((*doc)->report().indicators().at("members").value(), 59);
  // The next edit continues the sequence.
  auto next = (*replica)->Edit("report/r2", {Area("xa-tan-phu-dong")}, 0, "x");
  ASSERT_OK(next);
  EXPECT_EQ(next->mutation_seq(), 2u);
}

TEST(LocalReplicaTest, TwoTabletsEditingOfflineEndEqual) {
  t::TempDir dir;
  t::ServerProcess server(dir.Sub("data"));
  ASSERT_FALSE(server.address().empty()) << server.process().err();
  client::AdminClient admin(
      server.address(), *client::ReadSecretFile(dir.Sub("data/admin-secret")));
  struct Tablet {
    std::string id, secret;
    std::unique_ptr<LocalReplica> replica;
  };
  std::vector<Tablet> tablets(2);
  for (int i = 0; i < 2; ++i) {
    v1::EnrollDeviceRequest request;
    request.set_name("Máy tính bảng " + std::to_string(i));
    request.set_role(v1::ROLE_COMMUNE_OFFICER);
    request.set_area_id("xa-tan-phu-dong");
    auto enrolled = admin.Enroll(request);
    ASSERT_OK(enrolled);
    tablets[i].id = enrolled->device().id();
    tablets[i].secret = enrolled->secret();
    tablets[i].replica = *LocalReplica::Open(
        dir.Sub("tablet" + std::to_string(i)), tablets[i].id);
  }
  auto sync = [&](Tablet& t) {
    client::SyncClient link(
        {.target = server.address(), .device_id = t.id, .secret = t.secret});
    auto report = t.replica->Sync(link);
    EXPECT_OK(report);
    return report.ok() ? *report : client::SyncReport();
  };

  ASSERT_TRUE(tablets[0]
                  .replica
                  ->Edit("report/hoi-quan",
                         {Area("xa-tan-phu-dong"), Indicator("members", 59)}, 0,
                         "A")
                  .ok());
  sync(tablets[0]);
  sync(tablets[1]);  // both now know the report

  // Offline: different indicators, and the same results field.
  ASSERT_TRUE(tablets[0]
                  .replica
                  ->Edit("report/hoi-quan",
                         {Indicator("members", 60), Results("từ A")}, 0, "A")
                  .ok());
  ASSERT_TRUE(tablets[1]
                  .replica
                  ->Edit("report/hoi-quan",
                         {Indicator("hectares", 2541), Results("từ B")}, 0, "B")
                  .ok());
  client::SyncReport first = sync(tablets[0]);
  EXPECT_TRUE(first.attention.empty());
  client::SyncReport second = sync(tablets[1]);
  ASSERT_EQ(second.attention.size(), 1u);  // results: both changed it
  EXPECT_EQ(second.attention[0].outcome(), v1::MUTATION_OUTCOME_CONFLICT);
  EXPECT_THAT(second.attention[0].reason(), ::testing::HasSubstr("results"));
  sync(tablets[0]);

  auto a = tablets[0].replica->Get("report/hoi-quan");
  auto b = tablets[1].replica->Get("report/hoi-quan");
  ASSERT_TRUE(a.ok() && a->has_value() && b.ok() && b->has_value());
  EXPECT_EQ((*a)->DebugString(), (*b)->DebugString());
  EXPECT_EQ((*a)->report().indicators().at("members").value(), 60);
  EXPECT_EQ((*a)->report().indicators().at("hectares").value(), 2541);
  EXPECT_EQ((*a)->report().results(), "từ A");  // first to arrive stays
  EXPECT_TRUE(tablets[0].replica->Outbox()->empty());
  EXPECT_TRUE(tablets[1].replica->Outbox()->empty());
}

}  // namespace
}  // namespace fieldsync
