// Roles: what they read and what the merge lets them write.
#include "sync/access.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sync/merge.h"
#include "tests/support/mutation_builder.h"

namespace fieldsync {
namespace {

using ::testing::HasSubstr;
using testing::MutationBuilder;
using ::testing::UnorderedElementsAre;

class AccessTest : public ::testing::Test {
 protected:
  MergeOutcome Apply(const v1::Mutation& m, const v1::Document* current,
                     const WritePolicy& policy) {
    v1::Mutation with_authority = m;
    with_authority.set_authority(policy.authority);
    MergeContext context{.sequence = ++sequence_,
                         .server_time_micros = 0,
                         .areas = &areas_,
                         .locked_years = nullptr,
                         .policy = &policy};
    return Merge({.current = current, .base = nullptr}, with_authority,
                 context);
  }

  WritePolicy Policy(v1::Role role, const std::string& area) {
    return WritePolicyFor(role, area, areas_);
  }

  AreaTree areas_ = testing::SmallAreaTree();
  uint64_t sequence_ = 0;
};

TEST_F(AccessTest, RolesReadTheirScopes) {
  EXPECT_THAT(ReadScopes(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong", areas_),
              UnorderedElementsAre("commune/xa-tan-phu-dong", "catalogue",
                                   "catalogue/tp-sa-dec"));
  EXPECT_THAT(ReadScopes(v1::ROLE_DISTRICT_OFFICER, "tp-sa-dec", areas_),
              UnorderedElementsAre("district/tp-sa-dec", "catalogue"));
  EXPECT_THAT(ReadScopes(v1::ROLE_AUDITOR, "dong-thap", areas_),
              UnorderedElementsAre("province"));
}

TEST_F(AccessTest, ARoleNeedsAnAreaOfItsLevel) {
  EXPECT_TRUE(
      CheckRoleArea(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong", areas_).ok());
  EXPECT_THAT(
      std::string(CheckRoleArea(v1::ROLE_COMMUNE_OFFICER, "tp-sa-dec", areas_)
                      .message()),
      HasSubstr("AREA_LEVEL_COMMUNE"));
  EXPECT_THAT(
      std::string(CheckRoleArea(v1::ROLE_PROVINCE_ADMIN, "xa-khong-co", areas_)
                      .message()),
      HasSubstr("xa-khong-co"));
}

TEST_F(AccessTest, ACommuneWritesItsOwnReportsOnly) {
  WritePolicy commune = Policy(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  MergeOutcome own = Apply(MutationBuilder("t1", 1, "report/a")
                               .AreaId("xa-tan-phu-dong")
                               .Results("x"),
                           nullptr, commune);
  EXPECT_EQ(own.result.outcome(), v1::MUTATION_OUTCOME_APPLIED)
      << own.result.reason();

  MergeOutcome other = Apply(
      MutationBuilder("t1", 2, "report/b").AreaId("xa-vinh-thoi").Results("x"),
      nullptr, commune);
  EXPECT_EQ(other.result.outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_THAT(other.result.reason(), HasSubstr("outside"));

  // Nor move its report out of its commune.
  MergeOutcome move = Apply(
      MutationBuilder("t1", 3, "report/a").Base(1).AreaId("xa-tan-quy-tay"),
      &*own.document, commune);
  EXPECT_EQ(move.result.outcome(), v1::MUTATION_OUTCOME_REJECTED);

  // Nor touch a report of another commune, even for review.
  MergeOutcome lv =
      Apply(MutationBuilder("d", 1, "report/lv").AreaId("xa-vinh-thoi"),
            nullptr, Policy(v1::ROLE_PROVINCE_ADMIN, "dong-thap"));
  ASSERT_EQ(lv.result.outcome(), v1::MUTATION_OUTCOME_APPLIED);
  MergeOutcome foreign =
      Apply(MutationBuilder("t1", 4, "report/lv").Base(1).Results("mine"),
            &*lv.document, commune);
  EXPECT_EQ(foreign.result.outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_FALSE(foreign.conflict.has_value());
}

TEST_F(AccessTest, AuthorityComesFromTheRoleAndAuditorsWriteNothing) {
  MergeOutcome audit = Apply(MutationBuilder("a", 1, "report/a")
                                 .AreaId("xa-tan-phu-dong")
                                 .Results("x"),
                             nullptr, Policy(v1::ROLE_AUDITOR, "dong-thap"));
  EXPECT_EQ(audit.result.outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_THAT(audit.result.reason(), HasSubstr("does not write"));

  // A commune tablet claiming province authority still merges as a commune.
  WritePolicy commune = Policy(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  EXPECT_EQ(commune.authority, v1::AUTHORITY_COMMUNE);
  v1::Document model;
  model.set_key("model/huyen-tp-sa-dec-05");
  model.set_version(1);
  model.add_scopes("district/tp-sa-dec");
  model.mutable_model()->set_level(v1::MODEL_LEVEL_DISTRICT);
  model.mutable_model()->set_owner_area_id("tp-sa-dec");
  v1::Model plan;
  plan.set_plan_2021_2025("x");
  MergeOutcome edit = Apply(MutationBuilder("t1", 1, model.key())
                                .Base(1)
                                .Authority(v1::AUTHORITY_PROVINCE)
                                .Set("plan_2021_2025", plan),
                            &model, commune);
  EXPECT_EQ(edit.result.outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_THAT(edit.result.reason(), HasSubstr("proposals"));
}

TEST_F(AccessTest, WhoExportsWhichAppendixTables) {
  EXPECT_TRUE(MayExportAppendix(v1::ROLE_PROVINCE_ADMIN));
  EXPECT_TRUE(MayExportAppendix(v1::ROLE_AUDITOR));
  EXPECT_TRUE(MayExportAppendix(v1::ROLE_DISTRICT_OFFICER));
  EXPECT_FALSE(MayExportAppendix(v1::ROLE_COMMUNE_OFFICER));
  EXPECT_FALSE(MayExportAppendix(v1::ROLE_UNSPECIFIED));
  for (v1::Role role : {v1::ROLE_PROVINCE_ADMIN, v1::ROLE_AUDITOR}) {
    EXPECT_TRUE(MayExportAppendixOf(role, "dong-thap", "dong-thap"));
    EXPECT_TRUE(MayExportAppendixOf(role, "dong-thap", "h-lai-vung"));
    EXPECT_EQ(DefaultAppendixArea(role, "dong-thap", "dong-thap"), "dong-thap");
  }
  const v1::Role district = v1::ROLE_DISTRICT_OFFICER;
  EXPECT_TRUE(MayExportAppendixOf(district, "tp-sa-dec", "tp-sa-dec"));
  EXPECT_FALSE(MayExportAppendixOf(district, "tp-sa-dec", "h-lai-vung"));
  EXPECT_FALSE(MayExportAppendixOf(district, "tp-sa-dec", "dong-thap"));
  EXPECT_FALSE(MayExportAppendixOf(district, "", ""));
  EXPECT_EQ(DefaultAppendixArea(district, "tp-sa-dec", "dong-thap"),
            "tp-sa-dec");
  EXPECT_FALSE(MayExportAppendixOf(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong",
                                   "xa-tan-phu-dong"));
}

}  // namespace
}  // namespace fieldsync
