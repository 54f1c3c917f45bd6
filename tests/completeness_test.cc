// Completeness: the status counts the live cells keep per (period, area,
// model), the expected areas of a model, and the answer built from both.
#include "sync/completeness.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sync/aggregates.h"
#include "sync/field_error.h"
#include "sync/keys.h"
#include "sync/memory_store.h"
#include "sync/server_replica.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MutationBuilder;

v1::Model DistrictModel() {
  v1::Model m;
  m.set_id("huyen-tp-sa-dec-05");
  m.set_level(v1::MODEL_LEVEL_DISTRICT);
  m.set_owner_area_id("tp-sa-dec");
  m.set_name("Mô hình Hội quán");
  return m;
}

TEST(ReportCountTest, EveryReportNotDeletedCountsOnceInItsStatus) {
  v1::Document doc;
  doc.set_key("report/r1");
  v1::Report& r = *doc.mutable_report();
  r.set_area_id("xa-tan-phu-dong");
  r.set_period("2021");
  r.set_model_id("m1");
  // No status yet: a draft. Drafts count here, though never in figures.
  std::optional<ReportPlace> place = ReportPlaceOf(&doc);
  ASSERT_TRUE(place.has_value());
  EXPECT_EQ(place->key, AggregateKey("2021", "xa-tan-phu-dong", "m1"));
  EXPECT_EQ(place->status, v1::REPORT_STATUS_DRAFT);
  r.set_status(v1::REPORT_STATUS_RETURNED);
  EXPECT_EQ(ReportPlaceOf(&doc)->status, v1::REPORT_STATUS_RETURNED);
  doc.set_deleted(true);
  EXPECT_FALSE(ReportPlaceOf(&doc).has_value());
  EXPECT_FALSE(ReportPlaceOf(nullptr).has_value());
  v1::Document model;
  *model.mutable_model() = DistrictModel();
  EXPECT_FALSE(ReportPlaceOf(&model).has_value());

  v1::AggregateCell cell;
  EXPECT_TRUE(MoveReportCount(cell, v1::REPORT_STATUS_DRAFT, true));
  EXPECT_FALSE(IsEmptyCell(cell)) << "a draft's cell holds its count";
  EXPECT_TRUE(MoveReportCount(cell, v1::REPORT_STATUS_ACCEPTED, true));
  EXPECT_EQ(cell.reports().draft(), 1u);
  EXPECT_EQ(cell.reports().accepted(), 1u);
  EXPECT_FALSE(MoveReportCount(cell, v1::REPORT_STATUS_SUBMITTED, false))
      << "taking out a count the cell lacks is a mismatch";
  EXPECT_TRUE(MoveReportCount(cell, v1::REPORT_STATUS_DRAFT, false));
  EXPECT_TRUE(MoveReportCount(cell, v1::REPORT_STATUS_ACCEPTED, false));
  EXPECT_TRUE(IsEmptyCell(cell));
  EXPECT_EQ(cell.ByteSizeLong(), 0u) << "emptied counts leave no bytes";
}

TEST(ExpectedAreasTest, ImplementingUnitsFromTheCatalogueOrAnAssignment) {
  const AreaTree areas = testing::SmallAreaTree();
  v1::Model m = DistrictModel();
  // A district model that names no commune: the district and its communes.
  ExpectedAreas expected = ExpectedAreasOf(m, areas, "2021-12-31");
  EXPECT_EQ(expected.source, v1::EXPECTED_AREAS_SOURCE_CATALOGUE);
  EXPECT_THAT(expected.ids,
              ElementsAre("tp-sa-dec", "xa-tan-phu-dong", "xa-tan-quy-tay"));
  // Naming communes: the district and the communes named.
  m.add_area_refs("xa-tan-quy-tay");
  EXPECT_THAT(ExpectedAreasOf(m, areas, "2021-12-31").ids,
              ElementsAre("tp-sa-dec", "xa-tan-quy-tay"));
  // A province-level model: the province, and the areas it names.
  v1::Model province;
  province.set_level(v1::MODEL_LEVEL_PROVINCE);
  province.set_owner_area_id("dong-thap");
  EXPECT_THAT(ExpectedAreasOf(province, areas, "2021-12-31").ids,
              ElementsAre("dong-thap"));
  province.add_area_refs("xa-vinh-thoi");
  EXPECT_THAT(ExpectedAreasOf(province, areas, "2021-12-31").ids,
              ElementsAre("dong-thap", "xa-vinh-thoi"));
  // An assignment replaces the rule; tree order (siblings by position,
  // then id: h-lai-vung before tp-sa-dec), whatever order it lists.
  m.add_assigned_area_ids("xa-tan-phu-dong");
  m.add_assigned_area_ids("xa-vinh-thoi");
  expected = ExpectedAreasOf(m, areas, "2021-12-31");
  EXPECT_EQ(expected.source, v1::EXPECTED_AREAS_SOURCE_ASSIGNMENT);
  EXPECT_THAT(expected.ids, ElementsAre("xa-vinh-thoi", "xa-tan-phu-dong"));
}

TEST(ExpectedAreasTest, OnlyAreasValidOnTheDate) {
  auto make = [](std::string id, std::string parent, v1::AreaLevel level,
                 std::string until) {
    v1::Area a;
    a.set_id(std::move(id));
    a.set_parent_id(std::move(parent));
    a.set_level(level);
    a.set_valid_until(std::move(until));
    return a;
  };
  const AreaTree areas = *AreaTree::Build(
      {make("dong-thap", "", v1::AREA_LEVEL_PROVINCE, ""),
       make("tp-sa-dec", "dong-thap", v1::AREA_LEVEL_DISTRICT, "2025-07-01"),
       make("xa-tan-phu-dong", "tp-sa-dec", v1::AREA_LEVEL_COMMUNE, ""),
       make("phuong-2", "tp-sa-dec", v1::AREA_LEVEL_COMMUNE, "2025-07-01")});
  EXPECT_THAT(ExpectedAreasOf(DistrictModel(), areas, "2021-12-31").ids,
              ElementsAre("tp-sa-dec", "phuong-2", "xa-tan-phu-dong"));
  EXPECT_THAT(ExpectedAreasOf(DistrictModel(), areas, "2025-07-01").ids,
              ElementsAre())
      << "the district is gone, and its subtree with it";
}

class CompletenessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    replica_ = *ServerReplica::Open(
        {.store = &store_, .areas = &areas_, .clock = &clock_});
  }

  // Files report `id` at `area` with `status`, reviewed by the province
  // for an accepted or returned one.
  void File(const std::string& id, const std::string& area,
            v1::ReportStatus status, const std::string& model = "") {
    const std::string key = "report/" + id;
    const bool reviewed = status == v1::REPORT_STATUS_ACCEPTED ||
                          status == v1::REPORT_STATUS_RETURNED;
    v1::Report r;
    r.set_model_id(model.empty() ? model_.id() : model);
    Push(MutationBuilder("t1", ++seq_, key)
             .AreaId(area)
             .Period("2021")
             .Set("model_id", r)
             .Indicator("members", 10)
             .Status(reviewed ? v1::REPORT_STATUS_SUBMITTED : status));
    if (reviewed) {
      Push(MutationBuilder("t1", ++seq_, key)
               .Base(replica_->last_sequence())
               .Authority(v1::AUTHORITY_PROVINCE)
               .Status(status));
    }
  }

  void Push(v1::Mutation m) {
    auto r = replica_->Push({std::move(m)});
    ASSERT_OK(r);
    ASSERT_NE(r->results(0).outcome(), v1::MUTATION_OUTCOME_REJECTED)
        << r->results(0).reason();
  }

  uint64_t Version(const std::string& key) {
    auto doc = store_.GetDoc(key);
    return doc.ok() && doc->has_value() ? (*doc)->version() : 0;
  }

  Completeness Ask(const std::string& area = "") {
    CompletenessQuery query{.model_id = model_.id(),
                            .period = "2021",
                            .area_id = area,
                            .as_of = "2021-12-31"};
    auto answer = ComputeCompleteness(store_, areas_, model_, query);
    EXPECT_OK(answer);
    return answer.ok() ? *std::move(answer) : Completeness();
  }

  MemoryStore store_;
  AreaTree areas_ = testing::SmallAreaTree();
  FakeClock clock_{1'790'000'000'000'000};
  std::unique_ptr<ServerReplica> replica_;
  v1::Model model_ = DistrictModel();
  uint64_t seq_ = 0;
};

TEST_F(CompletenessTest, CountsPerStatusNoneAndUnexpected) {
  Completeness empty = Ask();
  ASSERT_EQ(empty.rows.size(), 3u);
  for (const v1::CompletenessRow& row : empty.rows) {
    EXPECT_TRUE(row.expected());
    EXPECT_TRUE(row.none()) << row.area_id();
  }
  EXPECT_EQ(empty.summary.missing_areas(), 3);

  File("a", "xa-tan-phu-dong", v1::REPORT_STATUS_DRAFT);
  File("b", "xa-tan-phu-dong", v1::REPORT_STATUS_SUBMITTED);
  File("c", "tp-sa-dec", v1::REPORT_STATUS_ACCEPTED);
  File("d", "tp-sa-dec", v1::REPORT_STATUS_RETURNED);
  File("e", "xa-vinh-thoi", v1::REPORT_STATUS_SUBMITTED);  // not expected
  File("f", "xa-tan-quy-tay", v1::REPORT_STATUS_ACCEPTED, "other-model");
  Completeness answer = Ask();
  ASSERT_EQ(answer.rows.size(), 4u);
  EXPECT_EQ(answer.rows[0].area_id(), "tp-sa-dec");
  EXPECT_EQ(answer.rows[0].reports().accepted(), 1);
  EXPECT_EQ(answer.rows[0].reports().returned(), 1);
  EXPECT_EQ(answer.rows[1].area_id(), "xa-tan-phu-dong");
  EXPECT_EQ(answer.rows[1].reports().draft(), 1);
  EXPECT_EQ(answer.rows[1].reports().submitted(), 1);
  EXPECT_FALSE(answer.rows[1].none());
  EXPECT_EQ(answer.rows[2].area_id(), "xa-tan-quy-tay");
  EXPECT_TRUE(answer.rows[2].none()) << "another model's report is not this";
  EXPECT_EQ(answer.rows[3].area_id(), "xa-vinh-thoi");
  EXPECT_FALSE(answer.rows[3].expected());
  EXPECT_EQ(answer.rows[3].reports().submitted(), 1);
  EXPECT_EQ(answer.summary.expected_areas(), 3);
  EXPECT_EQ(answer.summary.reporting_areas(), 2);
  EXPECT_EQ(answer.summary.missing_areas(), 1);
  EXPECT_EQ(answer.summary.unexpected_areas(), 1);
  EXPECT_EQ(answer.summary.reports().accepted(), 1);
  EXPECT_EQ(answer.summary.reports().submitted(), 2);

  // Within Lai Vung only its commune, which was not expected.
  Completeness lai_vung = Ask("h-lai-vung");
  ASSERT_EQ(lai_vung.rows.size(), 1u);
  EXPECT_EQ(lai_vung.rows[0].area_id(), "xa-vinh-thoi");
  EXPECT_EQ(lai_vung.summary.expected_areas(), 0);

  // A status change moves the count; a delete takes it out (an accepted
  // report's would wait for review as an amendment).
  Push(MutationBuilder("t1", ++seq_, "report/a")
           .Base(Version("report/a"))
           .Status(v1::REPORT_STATUS_SUBMITTED));
  Push(MutationBuilder("t1", ++seq_, "report/e")
           .Base(Version("report/e"))
           .Authority(v1::AUTHORITY_PROVINCE)
           .Delete());
  answer = Ask();
  ASSERT_EQ(answer.rows.size(), 3u);
  EXPECT_EQ(answer.rows[1].reports().draft(), 0);
  EXPECT_EQ(answer.rows[1].reports().submitted(), 2);
  EXPECT_EQ(answer.summary.unexpected_areas(), 0);
  EXPECT_EQ(replica_->aggregate_mismatches(), 0u);
}

TEST_F(CompletenessTest, CellsOfTheFormerFormatAreRecomputedOnOpen) {
  File("a", "xa-tan-quy-tay", v1::REPORT_STATUS_DRAFT);
  File("b", "xa-tan-phu-dong", v1::REPORT_STATUS_SUBMITTED);
  // As a server of format 1 left the store: figures only (no counts, so no
  // cell for the draft), and a cell no report makes.
  auto live = StoredAggregates(store_);
  ASSERT_OK(live);
  WriteSet old;
  for (const auto& [key, cell] : *live) {
    auto figures = std::make_shared<v1::AggregateCell>(cell);
    figures->clear_reports();
    old.PutAggregate(key, std::move(figures));
  }
  auto stray = std::make_shared<v1::AggregateCell>();
  stray->mutable_reports()->set_accepted(3);
  old.PutAggregate(AggregateKey("2021", "xa-vinh-thoi", model_.id()), stray);
  old.PutMeta(std::string(kAggregatesMetaKey), "1");
  ASSERT_OK(store_.Apply(old));
  ASSERT_EQ(Ask().summary.reporting_areas(), 0);

  replica_ = *ServerReplica::Open(
      {.store = &store_, .areas = &areas_, .clock = &clock_});
  auto stored = StoredAggregates(store_);
  auto recomputed = RecomputeAggregates(store_);
  ASSERT_TRUE(stored.ok() && recomputed.ok());
  ASSERT_EQ(stored->size(), recomputed->size());
  for (const auto& [key, cell] : *recomputed) {
    EXPECT_EQ(stored->at(key).SerializeAsString(), cell.SerializeAsString());
  }
  Completeness answer = Ask();
  EXPECT_EQ(answer.summary.reporting_areas(), 2);
  EXPECT_EQ(answer.summary.unexpected_areas(), 0) << "the stray cell is gone";
  EXPECT_EQ(answer.summary.reports().draft(), 1);
  EXPECT_EQ(store_.GetMeta(kAggregatesMetaKey)->value_or(""),
            std::string(kAggregatesFormat));
}

TEST(CompletenessRequestTest, BadQuestionsNameTheFieldAndValue) {
  const AreaTree areas = testing::SmallAreaTree();
  const v1::Model model = DistrictModel();
  auto models = [&](std::string_view id) -> const v1::Model* {
    return id == model.id() ? &model : nullptr;
  };
  auto everywhere = [](std::string_view) { return true; };
  auto check = [&](v1::GetCompletenessRequest r,
                   const std::function<bool(std::string_view)>& may_read) {
    return CheckCompletenessRequest(r, areas, models, may_read, "2026-12-07");
  };
  v1::GetCompletenessRequest good;
  good.set_model_id(model.id());
  good.set_period("2021");
  auto ok = check(good, everywhere);
  ASSERT_OK(ok);
  EXPECT_EQ(ok->as_of, "2026-12-07") << "today by default";
  EXPECT_EQ(ok->area_id, "");

  struct Bad {
    std::string field, value;
    absl::StatusCode code;
  };
  for (const Bad& bad :
       {Bad{"model_id", "huyen-tp-sa-dec-99", absl::StatusCode::kNotFound},
        Bad{"model_id", "", absl::StatusCode::kInvalidArgument},
        Bad{"area_id", "tp-sa-dex", absl::StatusCode::kNotFound},
        Bad{"period", "2999", absl::StatusCode::kInvalidArgument},
        Bad{"period", "năm 2021", absl::StatusCode::kInvalidArgument},
        Bad{"as_of", "2021-02-30", absl::StatusCode::kInvalidArgument},
        Bad{"as_of", "2999-01-01", absl::StatusCode::kInvalidArgument}}) {
    v1::GetCompletenessRequest r = good;
    const google::protobuf::FieldDescriptor* field =
        r.GetDescriptor()->FindFieldByName(bad.field);
    r.GetReflection()->SetString(&r, field, bad.value);
    absl::StatusOr<CompletenessQuery> refused = check(r, everywhere);
    ASSERT_FALSE(refused.ok()) << bad.field << " " << bad.value;
    EXPECT_EQ(refused.status().code(), bad.code) << refused.status();
    EXPECT_THAT(refused.status().message(), HasSubstr(bad.field));
    if (!bad.value.empty()) {
      EXPECT_THAT(refused.status().message(), HasSubstr(bad.value));
    }
    ASSERT_EQ(FieldViolations(refused.status()).size(), 1u);
    EXPECT_EQ(FieldViolations(refused.status())[0].field(), bad.field);
  }

  // An area the caller may not read answers as an unknown one.
  v1::GetCompletenessRequest outside = good;
  outside.set_area_id("tp-sa-dec");
  v1::GetCompletenessRequest unknown = good;
  unknown.set_area_id("tp-sa-dex");
  auto nowhere = [](std::string_view) { return false; };
  std::string refused(check(outside, nowhere).status().message());
  std::string missing(check(unknown, nowhere).status().message());
  EXPECT_EQ(refused,
            missing.replace(missing.find("tp-sa-dex"), 9, "tp-sa-dec"));
}

}  // namespace
}  // namespace fieldsync
