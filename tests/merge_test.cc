// One test per merge rule (sync/merge.h), on the pure function: no store,
// no clock.
#include "sync/merge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sync/access.h"
#include "sync/deterministic.h"
#include "tests/support/mutation_builder.h"

namespace fieldsync {
namespace {

using ::testing::HasSubstr;
using testing::MutationBuilder;
using testing::ValueOf;

constexpr int64_t kNow = 1'790'000'000'000'000;  // 2026-09-21

class MergeTest : public ::testing::Test {
 protected:
  MergeOutcome Apply(const v1::Mutation& m, const v1::Document* current,
                     const v1::Document* base = nullptr) {
    context_.sequence = ++sequence_;
    return Merge({.current = current, .base = base}, m, context_);
  }

  // Creates report/r1 in xa-tan-phu-dong with results "a" at version 1.
  v1::Document Created() {
    MergeOutcome out = Apply(MutationBuilder("t1", 1, "report/r1")
                                 .AreaId("xa-tan-phu-dong")
                                 .Period("2025")
                                 .Results("a"),
                             nullptr);
    EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_APPLIED)
        << out.result.reason();
    return *out.document;
  }

  AreaTree areas_ = testing::SmallAreaTree();
  absl::flat_hash_set<std::string> locked_;
  MergeContext context_{.sequence = 0,
                        .server_time_micros = kNow,
                        .areas = &areas_,
                        .locked_years = &locked_};
  uint64_t sequence_ = 0;
};

TEST_F(MergeTest, CreateSetsFieldVersionsScopesAndDraftStatus) {
  v1::Document doc = Created();
  EXPECT_EQ(doc.version(), 1u);
  EXPECT_EQ(doc.report().id(), "r1");
  EXPECT_EQ(doc.report().results(), "a");
  EXPECT_EQ(doc.report().status(), v1::REPORT_STATUS_DRAFT);
  EXPECT_EQ(doc.field_versions().at("results"), 1u);
  EXPECT_THAT(doc.scopes(),
              ::testing::UnorderedElementsAre("province", "district/tp-sa-dec",
                                              "commune/xa-tan-phu-dong"));
}

TEST_F(MergeTest, EditOnTheCurrentVersionApplies) {
  v1::Document doc = Created();
  MergeOutcome out =
      Apply(MutationBuilder("t1", 2, "report/r1").Base(1).Results("b"), &doc);
  EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_APPLIED);
  EXPECT_EQ(out.document->report().results(), "b");
  EXPECT_EQ(out.document->version(), 2u);
  EXPECT_FALSE(out.conflict.has_value());
}

TEST_F(MergeTest, StaleEditOfOtherFieldsMergesAsAParallelUpdate) {
  v1::Document v1_doc = Created();
  v1::Document v2 =
      *Apply(MutationBuilder("t1", 2, "report/r1").Base(1).Results("by t1"),
             &v1_doc)
           .document;
  MergeOutcome out =
      Apply(MutationBuilder("t2", 1, "report/r1").Base(1).Difficulties("by t2"),
            &v2, &v1_doc);
  EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_MERGED);
  EXPECT_EQ(out.document->report().results(), "by t1");
  EXPECT_EQ(out.document->report().difficulties(), "by t2");
  EXPECT_FALSE(out.conflict.has_value());
}

TEST_F(MergeTest, DifferentIndicatorsOfOneReportNeverConflict) {
  v1::Document base = Created();
  v1::Document after_members = *Apply(MutationBuilder("t1", 2, "report/r1")
                                          .Base(1)
                                          .Indicator("members", 59),
                                      &base)
                                    .document;
  MergeOutcome out = Apply(
      MutationBuilder("t2", 1, "report/r1").Base(1).Indicator("hectares", 2541),
      &after_members, &base);
  EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_MERGED);
  EXPECT_EQ(out.document->report().indicators().at("members").value(), 59);
  EXPECT_EQ(out.document->report().indicators().at("hectares").value(), 2541);
}

TEST_F(MergeTest, ADevicesLaterEditOfItsOwnFieldIsNoConflict) {
  // Offline, t1 edits the same field twice on top of version 1; its second
  // edit follows its first, so the second value wins without a conflict.
  v1::Document base = Created();
  v1::Document first =
      *Apply(MutationBuilder("t1", 2, "report/r1").Base(1).Results("sáng"),
             &base)
           .document;
  MergeOutcome out =
      Apply(MutationBuilder("t1", 3, "report/r1").Base(1).Results("chiều"),
            &first, &base);
  EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_MERGED);
  EXPECT_EQ(out.document->report().results(), "chiều");
  EXPECT_FALSE(out.conflict.has_value());
  // Another device on the same old base still meets a conflict.
  MergeOutcome other =
      Apply(MutationBuilder("t2", 1, "report/r1").Base(1).Results("tối"),
            &*out.document, &base);
  EXPECT_EQ(other.result.outcome(), v1::MUTATION_OUTCOME_CONFLICT);
  EXPECT_EQ(other.document.has_value() ? other.document->report().results()
                                       : out.document->report().results(),
            "chiều");
}

TEST_F(MergeTest, WritersAreImpliedUntilAnotherDeviceChangesTheDocument) {
  // A report one device wrote names no writer per field: its change does.
  v1::Document created = Created();
  EXPECT_EQ(created.field_writers_size(), 0);
  EXPECT_EQ(created.change().device_id(), "t1");
  // Another device changes another field: t1's results keep t1 as writer.
  v1::Document by_t2 =
      *Apply(MutationBuilder("t2", 1, "report/r1").Base(1).Difficulties("khó"),
             &created, &created)
           .document;
  EXPECT_EQ(by_t2.field_writers().at("results"), "t1");
  EXPECT_FALSE(by_t2.field_writers().contains("difficulties"));
  // So t1's later edit of its own results, on its old base, is no conflict.
  MergeOutcome out =
      Apply(MutationBuilder("t1", 2, "report/r1").Base(1).Results("b"), &by_t2,
            &created);
  EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_MERGED);
  EXPECT_EQ(out.document->report().results(), "b");
  EXPECT_EQ(out.document->field_writers().at("difficulties"), "t2");
  EXPECT_FALSE(out.document->field_writers().contains("results"));
  // And t2 editing t1's results on the old base is one.
  EXPECT_EQ(Apply(MutationBuilder("t2", 2, "report/r1").Base(1).Results("c"),
                  &*out.document, &created)
                .result.outcome(),
            v1::MUTATION_OUTCOME_CONFLICT);
}

TEST_F(MergeTest, SameFieldEqualAuthorityFirstArrivalStaysLoserKept) {
  v1::Document base = Created();
  v1::Document first = *Apply(MutationBuilder("t1", 2, "report/r1")
                                  .Base(1)
                                  .Indicator("members", 59),
                              &base)
                            .document;
  // t2 edited offline with a *later* device clock: clocks never decide.
  MergeOutcome out = Apply(MutationBuilder("t2", 1, "report/r1")
                               .Base(1)
                               .DeviceTime(kNow)
                               .Indicator("members", 60),
                           &first, &base);
  EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_CONFLICT);
  EXPECT_THAT(out.result.reason(), HasSubstr("indicators/members"));
  EXPECT_FALSE(out.document.has_value());  // nothing changed
  ASSERT_TRUE(out.conflict.has_value());
  const v1::ConflictRecord& record = *out.conflict;
  EXPECT_EQ(record.kind(), v1::CONFLICT_KIND_FIELD);
  EXPECT_EQ(record.device_id(), "t2");
  ASSERT_EQ(record.values_size(), 1);
  v1::Report sixty, fiftynine;
  (*sixty.mutable_indicators())["members"].set_value(60);
  (*fiftynine.mutable_indicators())["members"].set_value(59);
  EXPECT_EQ(record.values(0).losing_value(),
            ValueOf(sixty, "indicators/members"));
  EXPECT_EQ(record.values(0).current_value(),
            ValueOf(fiftynine, "indicators/members"));
  EXPECT_EQ(record.values(0).base_value(), "");  // unset at the base
  EXPECT_FALSE(record.values(0).incoming_won());
  EXPECT_THAT(record.scopes(), ::testing::Contains("commune/xa-tan-phu-dong"));
}

TEST_F(MergeTest, SameFieldHigherAuthorityWinsAndTheOldValueIsKept) {
  v1::Document base = Created();
  v1::Document commune =
      *Apply(MutationBuilder("t1", 2, "report/r1").Base(1).Results("commune"),
             &base)
           .document;
  MergeOutcome out = Apply(MutationBuilder("d1", 1, "report/r1")
                               .Base(1)
                               .Authority(v1::AUTHORITY_DISTRICT)
                               .Results("district"),
                           &commune, &base);
  EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_CONFLICT);
  EXPECT_EQ(out.document->report().results(), "district");
  ASSERT_TRUE(out.conflict.has_value());
  const v1::ConflictValue& v = out.conflict->values(0);
  EXPECT_TRUE(v.incoming_won());
  v1::Report r;
  r.set_results("commune");
  EXPECT_EQ(v.losing_value(), ValueOf(r, "results"));
  EXPECT_EQ(v.losing_sequence(), commune.version());
  r.set_results("a");
  EXPECT_EQ(v.base_value(), ValueOf(r, "results"));
}

TEST_F(MergeTest, SameValueOnBothSidesIsNoConflict) {
  v1::Document base = Created();
  v1::Document first =
      *Apply(MutationBuilder("t1", 2, "report/r1").Base(1).Results("x"), &base)
           .document;
  MergeOutcome out =
      Apply(MutationBuilder("t2", 1, "report/r1").Base(1).Results("x"), &first,
            &base);
  EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_MERGED);
  EXPECT_FALSE(out.conflict.has_value());
}

TEST_F(MergeTest, StatusFollowsTheStateMachine) {
  v1::Document doc = Created();
  MergeOutcome skip = Apply(MutationBuilder("t1", 2, "report/r1")
                                .Base(1)
                                .Status(v1::REPORT_STATUS_ACCEPTED),
                            &doc);
  EXPECT_EQ(skip.result.outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_THAT(skip.result.reason(),
              HasSubstr("REPORT_STATUS_DRAFT -> REPORT_STATUS_ACCEPTED"));

  v1::Document submitted = *Apply(MutationBuilder("t1", 3, "report/r1")
                                      .Base(1)
                                      .Status(v1::REPORT_STATUS_SUBMITTED),
                                  &doc)
                                .document;
  MergeOutcome self_accept = Apply(MutationBuilder("t1", 4, "report/r1")
                                       .Base(submitted.version())
                                       .Status(v1::REPORT_STATUS_ACCEPTED),
                                   &submitted);
  EXPECT_EQ(self_accept.result.outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_THAT(self_accept.result.reason(), HasSubstr("reviewer"));

  MergeOutcome accept = Apply(MutationBuilder("d1", 1, "report/r1")
                                  .Base(submitted.version())
                                  .Authority(v1::AUTHORITY_DISTRICT)
                                  .Status(v1::REPORT_STATUS_ACCEPTED),
                              &submitted);
  EXPECT_EQ(accept.result.outcome(), v1::MUTATION_OUTCOME_APPLIED);
}

TEST_F(MergeTest, WritesToAnAcceptedReportBecomeAmendments) {
  v1::Document doc = Created();
  doc.mutable_report()->set_status(v1::REPORT_STATUS_ACCEPTED);
  MergeOutcome out = Apply(
      MutationBuilder("t1", 2, "report/r1").Base(1).Results("late"), &doc);
  EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_AMENDMENT);
  EXPECT_FALSE(out.document.has_value());
  ASSERT_TRUE(out.conflict.has_value());
  EXPECT_EQ(out.conflict->kind(), v1::CONFLICT_KIND_AMENDMENT);
  v1::Report late;
  late.set_results("late");
  EXPECT_EQ(out.conflict->values(0).losing_value(), ValueOf(late, "results"));

  // A reviewer may still reopen it.
  MergeOutcome reopen = Apply(MutationBuilder("d1", 1, "report/r1")
                                  .Base(1)
                                  .Authority(v1::AUTHORITY_DISTRICT)
                                  .Status(v1::REPORT_STATUS_RETURNED),
                              &doc);
  EXPECT_EQ(reopen.result.outcome(), v1::MUTATION_OUTCOME_APPLIED);
}

TEST_F(MergeTest, LockedYearsTakeAmendmentsExceptFromTheProvince) {
  v1::Document doc = Created();
  locked_.insert("2025");
  MergeOutcome commune =
      Apply(MutationBuilder("t1", 2, "report/r1").Base(1).Results("b"), &doc);
  EXPECT_EQ(commune.result.outcome(), v1::MUTATION_OUTCOME_AMENDMENT);
  EXPECT_THAT(commune.result.reason(), HasSubstr("2025"));
  MergeOutcome province = Apply(MutationBuilder("p1", 1, "report/r1")
                                    .Base(1)
                                    .Authority(v1::AUTHORITY_PROVINCE)
                                    .Results("fixed"),
                                &doc);
  EXPECT_EQ(province.result.outcome(), v1::MUTATION_OUTCOME_APPLIED);
}

TEST_F(MergeTest, ALockedYearTakesNewReportsAsAmendments) {
  locked_.insert("2024");
  MergeOutcome commune = Apply(MutationBuilder("t1", 1, "report/r2")
                                   .AreaId("xa-tan-phu-dong")
                                   .Period("2024")
                                   .Results("muộn"),
                               nullptr);
  EXPECT_EQ(commune.result.outcome(), v1::MUTATION_OUTCOME_AMENDMENT)
      << commune.result.reason();
  EXPECT_THAT(commune.result.reason(), HasSubstr("2024"));
  EXPECT_FALSE(commune.document.has_value());
  ASSERT_TRUE(commune.conflict.has_value());
  EXPECT_EQ(commune.conflict->kind(), v1::CONFLICT_KIND_AMENDMENT);
  // It waits in the queue of the area it is for.
  EXPECT_THAT(commune.conflict->scopes(),
              ::testing::UnorderedElementsAre("province", "district/tp-sa-dec",
                                              "commune/xa-tan-phu-dong"));
  EXPECT_EQ(commune.conflict->values_size(), 3);
  // A quarter of a locked year is in it too.
  MergeOutcome quarter = Apply(MutationBuilder("t1", 2, "report/r3")
                                   .AreaId("xa-tan-phu-dong")
                                   .Period("2024-Q4")
                                   .Results("muộn"),
                               nullptr);
  EXPECT_EQ(quarter.result.outcome(), v1::MUTATION_OUTCOME_AMENDMENT);
  // The province still files directly; other years are open.
  MergeOutcome province = Apply(MutationBuilder("p1", 1, "report/r2")
                                    .Authority(v1::AUTHORITY_PROVINCE)
                                    .AreaId("xa-tan-phu-dong")
                                    .Period("2024")
                                    .Results("bổ sung"),
                                nullptr);
  EXPECT_EQ(province.result.outcome(), v1::MUTATION_OUTCOME_APPLIED);
  EXPECT_EQ(Created().report().period(), "2025");
}

TEST_F(MergeTest, MovingAReportIntoALockedYearIsAnAmendment) {
  v1::Document doc = Created();  // 2025
  locked_.insert("2024");
  MergeOutcome moved = Apply(
      MutationBuilder("t1", 2, "report/r1").Base(1).Period("2024-Q2"), &doc);
  EXPECT_EQ(moved.result.outcome(), v1::MUTATION_OUTCOME_AMENDMENT)
      << moved.result.reason();
  EXPECT_THAT(moved.result.reason(), HasSubstr("2024"));
  EXPECT_FALSE(moved.document.has_value());
  ASSERT_TRUE(moved.conflict.has_value());
  EXPECT_EQ(moved.conflict->kind(), v1::CONFLICT_KIND_AMENDMENT);
  // A district is held to it as well; the province moves it.
  MergeOutcome district = Apply(MutationBuilder("d1", 1, "report/r1")
                                    .Base(1)
                                    .Authority(v1::AUTHORITY_DISTRICT)
                                    .Period("2024"),
                                &doc);
  EXPECT_EQ(district.result.outcome(), v1::MUTATION_OUTCOME_AMENDMENT);
  MergeOutcome province = Apply(MutationBuilder("p1", 1, "report/r1")
                                    .Base(1)
                                    .Authority(v1::AUTHORITY_PROVINCE)
                                    .Period("2024"),
                                &doc);
  EXPECT_EQ(province.result.outcome(), v1::MUTATION_OUTCOME_APPLIED);
  // Other edits of an open year's report still apply.
  MergeOutcome edit =
      Apply(MutationBuilder("t1", 3, "report/r1").Base(1).Results("b"), &doc);
  EXPECT_EQ(edit.result.outcome(), v1::MUTATION_OUTCOME_APPLIED);
}

TEST_F(MergeTest, AReportIdNamingAnAreaBindsTheReportToIt) {
  // "<area>.<model>.<period>", the CLI's ids: the area must be that one.
  WritePolicy province;
  context_.policy = &province;
  MergeOutcome other =
      Apply(MutationBuilder("p1", 1, "report/xa-tan-phu-dong.m.2025")
                .Authority(v1::AUTHORITY_PROVINCE)
                .AreaId("xa-tan-quy-tay")
                .Period("2025"),
            nullptr);
  EXPECT_EQ(other.result.outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_THAT(other.result.reason(), HasSubstr("area_id"));
  EXPECT_THAT(other.result.reason(), HasSubstr("xa-tan-quy-tay"));
  EXPECT_FALSE(other.document.has_value());
  MergeOutcome own =
      Apply(MutationBuilder("p1", 2, "report/xa-tan-phu-dong.m.2025")
                .Authority(v1::AUTHORITY_PROVINCE)
                .AreaId("xa-tan-phu-dong")
                .Period("2025"),
            nullptr);
  ASSERT_EQ(own.result.outcome(), v1::MUTATION_OUTCOME_APPLIED)
      << own.result.reason();
  // Nor can it move to another area later.
  MergeOutcome moved =
      Apply(MutationBuilder("p1", 3, "report/xa-tan-phu-dong.m.2025")
                .Authority(v1::AUTHORITY_PROVINCE)
                .Base(own.document->version())
                .AreaId("xa-vinh-thoi"),
            &*own.document);
  EXPECT_EQ(moved.result.outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_THAT(moved.result.reason(), HasSubstr("area_id"));
  // An id naming no area binds nothing.
  MergeOutcome free = Apply(MutationBuilder("p1", 4, "report/hoi-quan.2025")
                                .Authority(v1::AUTHORITY_PROVINCE)
                                .AreaId("xa-vinh-thoi")
                                .Period("2025"),
                            nullptr);
  EXPECT_EQ(free.result.outcome(), v1::MUTATION_OUTCOME_APPLIED)
      << free.result.reason();
}

TEST_F(MergeTest, AnIdNamingAnotherCommuneIsOutsideTheScopeWhateverItsState) {
  const WritePolicy commune =
      WritePolicyFor(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong", areas_);
  context_.policy = &commune;
  // No such document, and a base version or a delete: refused as out of
  // scope, as an existing one would be.
  for (const v1::Mutation& m :
       {MutationBuilder("t1", 1, "report/xa-tan-quy-tay.m.2025")
            .Base(7)
            .Results("x")
            .Build(),
        MutationBuilder("t1", 2, "report/xa-tan-quy-tay.m.2025")
            .Delete()
            .Build(),
        MutationBuilder("t1", 3, "report/xa-tan-quy-tay.m.2026")
            .AreaId("xa-tan-phu-dong")
            .Period("2026")
            .Build()}) {
    MergeOutcome out = Apply(m, nullptr);
    EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_REJECTED);
    EXPECT_EQ(out.result.reason(), m.key() + " is outside your scope");
    EXPECT_EQ(out.result.version(), 0u);
  }
  // Its own ids still say what is wrong.
  MergeOutcome own =
      Apply(MutationBuilder("t1", 4, "report/xa-tan-phu-dong.m.2025")
                .Base(7)
                .Results("x"),
            nullptr);
  EXPECT_THAT(own.result.reason(), HasSubstr("no document"));
}

TEST_F(MergeTest, DeletingAModelArchivesIt) {
  v1::Document model;
  model.set_key("model/huyen-tp-sa-dec-05");
  model.set_version(7);
  model.mutable_model()->set_id("huyen-tp-sa-dec-05");
  model.mutable_model()->set_level(v1::MODEL_LEVEL_DISTRICT);
  model.mutable_model()->set_owner_area_id("tp-sa-dec");
  model.mutable_model()->set_status(v1::MODEL_STATUS_CONTINUING);
  MergeOutcome commune =
      Apply(MutationBuilder("t1", 1, model.key()).Base(7).Delete(), &model);
  EXPECT_EQ(commune.result.outcome(), v1::MUTATION_OUTCOME_REJECTED);

  MergeOutcome district = Apply(MutationBuilder("d1", 1, model.key())
                                    .Base(7)
                                    .Authority(v1::AUTHORITY_DISTRICT)
                                    .Delete(),
                                &model);
  EXPECT_EQ(district.result.outcome(), v1::MUTATION_OUTCOME_APPLIED)
      << district.result.reason();
  EXPECT_FALSE(district.document->deleted());
  EXPECT_EQ(district.document->model().status(), v1::MODEL_STATUS_ARCHIVED);
}

TEST_F(MergeTest, ADeleteThatMeetsAnEditGoesToReview) {
  v1::Document base = Created();
  v1::Document edited =
      *Apply(MutationBuilder("t1", 2, "report/r1").Base(1).Results("b"), &base)
           .document;
  MergeOutcome out =
      Apply(MutationBuilder("t2", 1, "report/r1").Base(1).Delete(), &edited);
  EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_CONFLICT);
  EXPECT_FALSE(out.document.has_value());
  ASSERT_TRUE(out.conflict.has_value());
  EXPECT_EQ(out.conflict->kind(), v1::CONFLICT_KIND_DELETE_VS_EDIT);
  EXPECT_TRUE(out.conflict->delete_());
}

TEST_F(MergeTest, AnEditThatMeetsADeleteGoesToReview) {
  v1::Document base = Created();
  MergeOutcome deleted =
      Apply(MutationBuilder("t1", 2, "report/r1").Base(1).Delete(), &base);
  ASSERT_EQ(deleted.result.outcome(), v1::MUTATION_OUTCOME_APPLIED);
  ASSERT_TRUE(deleted.document->deleted());
  MergeOutcome out =
      Apply(MutationBuilder("t2", 1, "report/r1").Base(1).Results("mine"),
            &*deleted.document, &base);
  EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_CONFLICT);
  EXPECT_FALSE(out.document.has_value());
  EXPECT_EQ(out.conflict->kind(), v1::CONFLICT_KIND_DELETE_VS_EDIT);
  v1::Report mine;
  mine.set_results("mine");
  EXPECT_EQ(out.conflict->values(0).losing_value(), ValueOf(mine, "results"));
}

TEST_F(MergeTest, FarOffDeviceClocksAreFlaggedNotTrusted) {
  v1::Document doc = Created();
  const int64_t day = 24LL * 3600 * 1'000'000;
  auto skew = [&](int64_t device_time) {
    return Apply(MutationBuilder("t1", 9, "report/r1")
                     .Base(doc.version())
                     .DeviceTime(device_time)
                     .Results("x"),
                 &doc)
        .result.clock_skew();
  };
  EXPECT_FALSE(skew(kNow));
  EXPECT_FALSE(skew(kNow - 3 * day));  // offline for three days: normal
  EXPECT_TRUE(skew(kNow + day));       // in the future
  EXPECT_TRUE(skew(0));                // clock reset to 1970
}

TEST_F(MergeTest, BadInputIsRejectedNamingTheProblem) {
  v1::Document doc = Created();
  auto reason = [&](const v1::Mutation& m) {
    MergeOutcome out = Apply(m, &doc);
    EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_REJECTED);
    EXPECT_FALSE(out.document.has_value());
    return out.result.reason();
  };
  EXPECT_THAT(
      reason(
          MutationBuilder("t1", 2, "report/r1").Base(1).SetRaw("colour", "")),
      HasSubstr("colour"));
  EXPECT_THAT(reason(MutationBuilder("t1", 2, "report/r1")
                         .Base(1)
                         .SetRaw("indicators", "")),
              HasSubstr("needs a key"));
  EXPECT_THAT(reason(MutationBuilder("t1", 2, "report/r1")
                         .Base(1)
                         .SetRaw("results", "\x08\x01")),  // field 1 varint
              HasSubstr("does not parse"));
  EXPECT_THAT(
      reason(
          MutationBuilder("t1", 2, "report/r1").Base(1).AreaId("xa-khong-co")),
      HasSubstr("xa-khong-co"));
  EXPECT_THAT(
      reason(MutationBuilder("t1", 2, "report/r1").Base(1).Period("năm ngoái")),
      HasSubstr("year"));
  EXPECT_THAT(
      reason(MutationBuilder("t1", 2, "report/r1").Base(99).Results("x")),
      HasSubstr("newer"));
  EXPECT_THAT(reason(MutationBuilder("t1", 2, "banana/r1").Results("x")),
              HasSubstr("banana"));
  EXPECT_THAT(reason(MutationBuilder("t1", 2, "area/x").Results("x")),
              HasSubstr("area/x"));
  EXPECT_THAT(reason(MutationBuilder("t1", 2, "report/r1")
                         .Base(1)
                         .Authority(v1::AUTHORITY_UNSPECIFIED)
                         .Results("x")),
              HasSubstr("authority"));
  MergeOutcome missing = Apply(
      MutationBuilder("t1", 2, "report/r9").Base(3).Results("x"), nullptr);
  EXPECT_EQ(missing.result.outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_THAT(missing.result.reason(), HasSubstr("no document report/r9"));
}

// Every result that is not APPLIED or MERGED says why as a code, so a
// tablet never reads the English reason (sync.proto, MutationReason).
TEST_F(MergeTest, EveryOutcomeNotAppliedCarriesItsReasonCode) {
  const v1::Document doc = Created();
  auto code = [&](const v1::Mutation& m, const v1::Document* current,
                  const v1::Document* base = nullptr) {
    MergeOutcome out = Apply(m, current, base);
    EXPECT_NE(out.result.outcome(), v1::MUTATION_OUTCOME_APPLIED)
        << m.ShortDebugString();
    return out.result.reason_code();
  };
  using B = MutationBuilder;

  // The protocol broken: a client's bug.
  for (const v1::Mutation& m :
       {B("t1", 2, "report/r1").Base(1).SetRaw("colour", "").Build(),
        B("t1", 2, "report/r1").Base(1).SetRaw("results", "\x08\x01").Build(),
        B("t1", 2, "banana/r1").Results("x").Build(),
        B("t1", 2, "area/x").Results("x").Build(),
        B("t1", 2, "report/r1")
            .Base(1)
            .Authority(v1::AUTHORITY_UNSPECIFIED)
            .Results("x")
            .Build()}) {
    EXPECT_EQ(code(m, &doc), v1::MUTATION_REASON_INVALID_MUTATION)
        << m.ShortDebugString();
  }
  // A value the person corrects.
  for (const v1::Mutation& m :
       {B("t1", 2, "report/r1").Base(1).AreaId("xa-khong-co").Build(),
        B("t1", 2, "report/r1").Base(1).Period("năm ngoái").Build(),
        B("t1", 2, "report/r1")
            .Base(1)
            .Status(static_cast<v1::ReportStatus>(99))
            .Build()}) {
    EXPECT_EQ(code(m, &doc), v1::MUTATION_REASON_INVALID_VALUE)
        << m.ShortDebugString();
  }
  EXPECT_EQ(code(B("t1", 3, "report/xa-tan-quy-tay.m.2025")
                     .AreaId("xa-tan-phu-dong")
                     .Period("2025"),
                 nullptr),
            v1::MUTATION_REASON_INVALID_VALUE);
  // Not a step of the state machine, and a step for a higher level.
  EXPECT_EQ(
      code(B("t1", 2, "report/r1").Base(1).Status(v1::REPORT_STATUS_ACCEPTED),
           &doc),
      v1::MUTATION_REASON_STATUS_TRANSITION);
  v1::Document submitted = doc;
  submitted.mutable_report()->set_status(v1::REPORT_STATUS_SUBMITTED);
  EXPECT_EQ(
      code(B("t1", 2, "report/r1").Base(1).Status(v1::REPORT_STATUS_ACCEPTED),
           &submitted),
      v1::MUTATION_REASON_AUTHORITY);
  v1::Document model;
  model.set_key("model/huyen-tp-sa-dec-05");
  model.set_version(7);
  model.mutable_model()->set_id("huyen-tp-sa-dec-05");
  model.mutable_model()->set_owner_area_id("tp-sa-dec");
  EXPECT_EQ(code(B("t1", 2, model.key()).Base(7).Delete(), &model),
            v1::MUTATION_REASON_AUTHORITY);
  // The base is not on the server, or the document is gone.
  EXPECT_EQ(code(B("t1", 2, "report/r1").Base(99).Results("x"), &doc),
            v1::MUTATION_REASON_UNKNOWN_BASE);
  EXPECT_EQ(code(B("t1", 2, "report/r9").Base(3).Results("x"), nullptr),
            v1::MUTATION_REASON_UNKNOWN_BASE);
  v1::Document deleted = doc;
  deleted.set_deleted(true);
  EXPECT_EQ(code(B("t1", 2, "report/r1").Base(1).Results("x"), &deleted),
            v1::MUTATION_REASON_DOCUMENT_DELETED);
  // A delete and an edit met: both go to review.
  v1::Document edited = doc;
  edited.set_version(5);
  (*edited.mutable_field_versions())["results"] = 5;
  EXPECT_EQ(code(B("t2", 1, "report/r1").Base(1).Delete(), &edited),
            v1::MUTATION_REASON_DELETE_CONFLICT);
  v1::Document gone = edited;
  gone.set_deleted(true);
  EXPECT_EQ(code(B("t2", 1, "report/r1").Base(1).Results("x"), &gone, &doc),
            v1::MUTATION_REASON_DELETE_CONFLICT);
  // Amendments: an accepted report, a locked year.
  v1::Document accepted = doc;
  accepted.mutable_report()->set_status(v1::REPORT_STATUS_ACCEPTED);
  EXPECT_EQ(code(B("t1", 2, "report/r1").Base(1).Results("late"), &accepted),
            v1::MUTATION_REASON_REPORT_ACCEPTED);
  locked_.insert("2024");
  EXPECT_EQ(code(B("t1", 2, "report/r1").Base(1).Period("2024"), &doc),
            v1::MUTATION_REASON_YEAR_LOCKED);
  EXPECT_EQ(code(B("t1", 3, "report/r2")
                     .AreaId("xa-tan-phu-dong")
                     .Period("2024")
                     .Results("x"),
                 nullptr),
            v1::MUTATION_REASON_YEAR_LOCKED);
  locked_.insert("2025");
  EXPECT_EQ(code(B("t1", 2, "report/r1").Base(1).Results("b"), &doc),
            v1::MUTATION_REASON_YEAR_LOCKED);
  locked_.clear();

  // What a role may not do.
  const WritePolicy auditor =
      WritePolicyFor(v1::ROLE_AUDITOR, "dong-thap", areas_);
  context_.policy = &auditor;
  EXPECT_EQ(code(B("a1", 1, "report/r1").Base(1).Results("x"), &doc),
            v1::MUTATION_REASON_AUTHORITY);
  const WritePolicy neighbour =
      WritePolicyFor(v1::ROLE_COMMUNE_OFFICER, "xa-tan-quy-tay", areas_);
  context_.policy = &neighbour;
  EXPECT_EQ(code(B("t9", 1, "report/r1").Base(1).Results("x"), &doc),
            v1::MUTATION_REASON_OUTSIDE_SCOPE);
  EXPECT_EQ(
      code(B("t9", 2, "report/xa-tan-phu-dong.m.2025").Base(3).Results("x"),
           nullptr),
      v1::MUTATION_REASON_OUTSIDE_SCOPE);
  context_.policy = nullptr;

  // Applied and merged carry none.
  MergeOutcome applied =
      Apply(B("t1", 2, "report/r1").Base(1).Results("ok"), &doc);
  EXPECT_EQ(applied.result.outcome(), v1::MUTATION_OUTCOME_APPLIED);
  EXPECT_EQ(applied.result.reason_code(), v1::MUTATION_REASON_UNSPECIFIED);
}

// A report filed under an area that has ended, or not begun, on the
// server's day: the tablet files it again under today's area.
TEST_F(MergeTest, AnAreaThatDoesNotExistTodayIsSuperseded) {
  std::vector<v1::Area> areas;
  for (const char* id : {"dong-thap", "tp-sa-dec", "xa-tan-phu-dong"}) {
    areas.push_back(*areas_.Find(id));
  }
  v1::Area ended = areas.back();
  ended.set_id("xa-cu");
  ended.set_valid_until("2025-06-30");
  v1::Area future = areas.back();
  future.set_id("xa-moi");
  future.set_valid_from("2030-01-01");
  areas.push_back(ended);
  areas.push_back(future);
  areas_ = *AreaTree::Build(areas);
  for (const char* area : {"xa-cu", "xa-moi"}) {
    MergeOutcome out = Apply(MutationBuilder("t1", 1, "report/r5")
                                 .AreaId(area)
                                 .Period("2026")
                                 .Results("x"),
                             nullptr);
    EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_REJECTED) << area;
    EXPECT_EQ(out.result.reason_code(), v1::MUTATION_REASON_AREA_SUPERSEDED)
        << out.result.reason();
  }
}

// A conflict names the fields that conflicted, and only those: the
// mutation's other fields were applied.
TEST_F(MergeTest, AConflictNamesItsConflictingPaths) {
  v1::Document base = Created();
  v1::Document first = *Apply(MutationBuilder("t1", 2, "report/r1")
                                  .Base(1)
                                  .Indicator("members", 59)
                                  .Indicator("hectares", 3),
                              &base)
                            .document;
  MergeOutcome out = Apply(MutationBuilder("t2", 1, "report/r1")
                               .Base(1)
                               .Results("mine")
                               .Indicator("members", 60)
                               .Indicator("hectares", 4),
                           &first, &base);
  EXPECT_EQ(out.result.outcome(), v1::MUTATION_OUTCOME_CONFLICT);
  EXPECT_EQ(out.result.reason_code(), v1::MUTATION_REASON_FIELD_CONFLICT);
  EXPECT_THAT(
      out.result.conflicting_paths(),
      ::testing::ElementsAre("indicators/members", "indicators/hectares"));
  EXPECT_EQ(out.document->report().results(), "mine");
}

TEST_F(MergeTest, AResolutionMadeAheadGivesTheSameOutcome) {
  const v1::Document current = Created();
  const std::vector<v1::Mutation> mutations = {
      MutationBuilder("t1", 2, "report/r1").Base(1).Results("b"),
      MutationBuilder("t1", 3, "report/r2")
          .AreaId("xa-tan-phu-dong")
          .Results("c"),
      MutationBuilder("t1", 4, "report/r1").Base(1).SetRaw("nope", ""),
      MutationBuilder("t1", 5, "area/x").Base(1).Results("d"),
      MutationBuilder("t1", 6, "bad key").Results("e"),
  };
  for (const v1::Mutation& m : mutations) {
    const v1::Document* cur = m.key() == "report/r1" ? &current : nullptr;
    context_.sequence = 10;
    MergeOutcome plain = Merge({.current = cur}, m, context_);
    MergeOutcome ahead = Merge({.current = cur}, m, context_, Resolve(m).get());
    EXPECT_EQ(ahead.result.SerializeAsString(),
              plain.result.SerializeAsString())
        << m.key();
    ASSERT_EQ(ahead.document.has_value(), plain.document.has_value());
    if (plain.document.has_value()) {
      EXPECT_EQ(ahead.document->report().results(),
                plain.document->report().results());
    }
  }
}

TEST_F(MergeTest, AResolutionForAnotherAuthorityIsMadeAgain) {
  v1::Mutation m = MutationBuilder("t1", 1, "report/r1")
                       .AreaId("xa-tan-phu-dong")
                       .Results("a");
  auto resolved = Resolve(m);
  m.set_authority(v1::AUTHORITY_PROVINCE);
  context_.sequence = 1;
  MergeOutcome plain = Merge({}, m, context_);
  MergeOutcome ahead = Merge({}, m, context_, resolved.get());
  EXPECT_EQ(ahead.result.SerializeAsString(), plain.result.SerializeAsString());
  ASSERT_TRUE(ahead.document.has_value());
  EXPECT_EQ(ahead.document->field_authorities().at("results"),
            v1::AUTHORITY_PROVINCE);
}

}  // namespace
}  // namespace fieldsync

namespace fieldsync {
namespace {

// With an arena in the context, the new document is made on it, and is the
// same document as without one (as stored: deterministic bytes), for a
// create, an edit and a delete.
class MergeArenaTest : public ::testing::Test {
 protected:
  // The merge of `m` at `sequence` on the heap and on the arena, each on its
  // own side's `current`; both must make a document, the same one.
  std::pair<MergeOutcome, MergeOutcome> Both(
      const v1::Mutation& m, uint64_t sequence,
      const v1::Document* heap_current, const v1::Document* arena_current) {
    MergeContext heap{
        .sequence = sequence, .server_time_micros = 1, .areas = &areas_};
    MergeContext on_arena = heap;
    on_arena.arena = &arena_;
    std::pair<MergeOutcome, MergeOutcome> out(
        Merge({.current = heap_current}, m, heap),
        Merge({.current = arena_current}, m, on_arena));
    EXPECT_TRUE(out.first.document.has_value()) << out.first.result.reason();
    EXPECT_TRUE(out.second.document.has_value()) << out.second.result.reason();
    if (out.first.document && out.second.document) {
      EXPECT_EQ(out.first.document->GetArena(), nullptr);
      EXPECT_EQ(out.second.document->GetArena(), &arena_);
      EXPECT_EQ(DeterministicBytes(*out.first.document),
                DeterministicBytes(*out.second.document));
    }
    return out;
  }

  AreaTree areas_ = testing::SmallAreaTree();
  google::protobuf::Arena arena_;
};

TEST_F(MergeArenaTest, DocumentsOnAnArenaEqualThoseOnTheHeap) {
  auto [created, created_on_arena] = Both(MutationBuilder("t1", 1, "report/r1")
                                              .AreaId("xa-tan-phu-dong")
                                              .Period("2025")
                                              .Results("a")
                                              .Indicator("members", 5),
                                          1, nullptr, nullptr);
  ASSERT_TRUE(created_on_arena.document.has_value());
  auto [edited, edited_on_arena] =
      Both(MutationBuilder("t1", 2, "report/r1").Base(1).Results("b"), 2,
           created.document.get(), created_on_arena.document.get());
  ASSERT_TRUE(edited_on_arena.document.has_value());

  // An edit that changes nothing makes no document, arena or not.
  MergeContext on_arena{
      .sequence = 3, .server_time_micros = 1, .areas = &areas_};
  on_arena.arena = &arena_;
  EXPECT_FALSE(Merge({.current = edited_on_arena.document.get()},
                     MutationBuilder("t1", 3, "report/r1").Base(2).Results("b"),
                     on_arena)
                   .document.has_value());

  auto [removed, removed_on_arena] =
      Both(MutationBuilder("t1", 4, "report/r1").Base(2).Delete(), 4,
           edited.document.get(), edited_on_arena.document.get());
  ASSERT_TRUE(removed_on_arena.document.has_value());
  EXPECT_TRUE(removed_on_arena.document->deleted());
}

}  // namespace
}  // namespace fieldsync
