// The live aggregates: what a report puts in the cells, how a write moves
// them (in the report's own write), and the totals read from them.
#include "sync/aggregates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sync/area_changes.h"
#include "sync/field_error.h"
#include "sync/keys.h"
#include "sync/memory_store.h"
#include "sync/rocksdb_store.h"
#include "sync/server_replica.h"
#include "sync/totals.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

using ::testing::HasSubstr;
using testing::MutationBuilder;
using testing::SetsOf;

v1::Document Report(v1::ReportStatus status, double members,
                    v1::Qualifier qualifier = v1::QUALIFIER_UNSPECIFIED) {
  v1::Document doc;
  doc.set_key("report/r1");
  v1::Report& r = *doc.mutable_report();
  r.set_area_id("xa-tan-phu-dong");
  r.set_period("2021");
  r.set_model_id("m1");
  r.set_status(status);
  v1::Indicator& ind = (*r.mutable_indicators())["members"];
  ind.set_value(members);
  ind.set_unit("hội viên");
  ind.set_qualifier(qualifier);
  return doc;
}

TEST(AggregateEntriesTest, OnlySubmittedAndAcceptedReportsCount) {
  EXPECT_TRUE(AggregateEntriesOf(nullptr).empty());
  EXPECT_TRUE(AggregateEntriesOf(&*std::make_unique<v1::Document>(
                                     Report(v1::REPORT_STATUS_DRAFT, 40)))
                  .empty());
  v1::Document returned = Report(v1::REPORT_STATUS_RETURNED, 40);
  EXPECT_TRUE(AggregateEntriesOf(&returned).empty());
  v1::Document deleted = Report(v1::REPORT_STATUS_ACCEPTED, 40);
  deleted.set_deleted(true);
  EXPECT_TRUE(AggregateEntriesOf(&deleted).empty());

  v1::Document submitted = Report(v1::REPORT_STATUS_SUBMITTED, 40);
  std::vector<AggregateEntry> entries = AggregateEntriesOf(&submitted);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].key, AggregateKey("2021", "xa-tan-phu-dong", "m1"));
  EXPECT_EQ(entries[0].indicator, "members");
  EXPECT_EQ(entries[0].unit, "hội viên");
  EXPECT_FALSE(entries[0].accepted);
  EXPECT_EQ(entries[0].value, 40);

  v1::Document nan = Report(v1::REPORT_STATUS_ACCEPTED, std::nan(""));
  EXPECT_TRUE(AggregateEntriesOf(&nan).empty());
}

TEST(AggregateCellTest, AMultisetOfValuesPerIndicatorAndUnit) {
  v1::AggregateCell cell;
  AggregateEntry e{.key = "k",
                   .indicator = "members",
                   .unit = "hội viên",
                   .accepted = true,
                   .value = 40};
  EXPECT_TRUE(MoveEntry(cell, e, true));
  EXPECT_TRUE(MoveEntry(cell, e, true));
  e.value = 7;
  e.lower_bound = true;
  EXPECT_TRUE(MoveEntry(cell, e, true));
  AggregateEntry other{.key = "k",
                       .indicator = "hectares",
                       .unit = "ha",
                       .accepted = false,
                       .value = 2.5};
  EXPECT_TRUE(MoveEntry(cell, other, true));
  ASSERT_EQ(cell.indicators_size(), 2);
  EXPECT_EQ(cell.indicators(0).indicator(), "hectares") << "kept in order";
  const v1::AggregateColumn& members = cell.indicators(1).accepted();
  EXPECT_THAT(members.values(), ::testing::ElementsAre(7, 40));
  EXPECT_THAT(members.counts(), ::testing::ElementsAre(1, 2));
  EXPECT_EQ(members.lower_bounds(), 1u);
  EXPECT_TRUE(MoveEntry(cell, e, false));
  e.value = 40;
  e.lower_bound = false;
  EXPECT_TRUE(MoveEntry(cell, e, false));
  EXPECT_THAT(cell.indicators(1).accepted().values(),
              ::testing::ElementsAre(40));
  EXPECT_THAT(cell.indicators(1).accepted().counts(),
              ::testing::ElementsAre(1));
  EXPECT_EQ(cell.indicators(1).accepted().lower_bounds(), 0u);
  e.value = 41;
  EXPECT_FALSE(MoveEntry(cell, e, false)) << "not held: nothing changes";
  e.value = 40;
  EXPECT_TRUE(MoveEntry(cell, e, false));
  ASSERT_EQ(cell.indicators_size(), 1) << "an emptied indicator is dropped";
  EXPECT_TRUE(MoveEntry(cell, other, false));
  EXPECT_TRUE(IsEmptyCell(cell));
  EXPECT_EQ(cell.ByteSizeLong(), 0u);
}

class LiveAggregatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = RocksDbStore::Open(dir_.Sub("db"));
    ASSERT_OK(store);
    store_ = std::move(*store);
    replica_ = *ServerReplica::Open(
        {.store = store_.get(), .areas = &areas_, .clock = &clock_});
  }

  void Push(v1::Mutation m) {
    auto r = replica_->Push({std::move(m)});
    ASSERT_OK(r);
    ASSERT_NE(r->results(0).outcome(), v1::MUTATION_OUTCOME_REJECTED)
        << r->results(0).reason();
  }

  MutationBuilder Members(uint64_t seq, double value) {
    return MutationBuilder("t1", seq, "report/r1")
        .Base(replica_->last_sequence())
        .Indicator("members", value);
  }

  v1::TotalsRow Totals(const std::string& area) {
    TotalsQuery query{.area_id = area, .period = "2025", .as_of = "2026-01-01"};
    auto rows = ComputeTotals(*store_, areas_, catalogue_, query);
    EXPECT_OK(rows);
    return rows.ok() && !rows->empty() ? rows->front() : v1::TotalsRow();
  }

  testing::TempDir dir_;
  AreaTree areas_ = testing::SmallAreaTree();
  FakeClock clock_{1'790'000'000'000'000};
  std::unique_ptr<RocksDbStore> store_;
  std::unique_ptr<ServerReplica> replica_;
  TotalsCatalogue catalogue_{
      .model = [](std::string_view) -> const v1::Model* { return nullptr; },
      .sector = [](std::string_view) -> const v1::Sector* { return nullptr; }};
};

TEST_F(LiveAggregatesTest, AnEditMovesTheSumAndAStatusChangeMovesTheColumn) {
  Push(MutationBuilder("t1", 1, "report/r1")
           .AreaId("xa-tan-phu-dong")
           .Period("2025")
           .Indicator("members", 40));
  EXPECT_EQ(Totals("tp-sa-dec").indicator(), "") << "a draft counts nowhere";

  Push(Members(2, 40).Status(v1::REPORT_STATUS_SUBMITTED));
  v1::TotalsRow row = Totals("tp-sa-dec");
  EXPECT_EQ(row.submitted().reports(), 1u);
  EXPECT_EQ(row.submitted().sum(), 40);

  Push(Members(3, 59));  // 40 -> 59 moves the sum by 19
  row = Totals("dong-thap");
  EXPECT_EQ(row.submitted().sum(), 59);
  EXPECT_EQ(row.accepted().reports(), 0u);

  Push(Members(4, 59)
           .Authority(v1::AUTHORITY_DISTRICT)
           .Status(v1::REPORT_STATUS_ACCEPTED));
  row = Totals("xa-tan-phu-dong");
  EXPECT_EQ(row.submitted().reports(), 0u);
  EXPECT_EQ(row.accepted().reports(), 1u);
  EXPECT_EQ(row.accepted().sum(), 59);
  EXPECT_EQ(Totals("h-lai-vung").indicator(), "") << "another district";

  // The cells are in the store, as a recomputation has them.
  auto live = StoredAggregates(*store_);
  auto recomputed = RecomputeAggregates(*store_);
  ASSERT_TRUE(live.ok() && recomputed.ok());
  ASSERT_EQ(live->size(), 1u);
  EXPECT_EQ(live->begin()->second.SerializeAsString(),
            recomputed->begin()->second.SerializeAsString());
}

TEST_F(LiveAggregatesTest, ADeleteTakesTheReportOutAndAnEmptyCellIsDeleted) {
  Push(MutationBuilder("t1", 1, "report/r1")
           .AreaId("xa-tan-phu-dong")
           .Period("2025")
           .Indicator("members", 40)
           .Status(v1::REPORT_STATUS_SUBMITTED));
  ASSERT_EQ(Totals("tp-sa-dec").submitted().sum(), 40);
  Push(MutationBuilder("t1", 2, "report/r1")
           .Base(replica_->last_sequence())
           .Delete());
  auto live = StoredAggregates(*store_);
  ASSERT_OK(live);
  EXPECT_TRUE(live->empty());
}

TEST_F(LiveAggregatesTest,
       RatesAreNeverSummedAndQualifiedValuesAreLowerBounds) {
  v1::Report r;
  r.set_area_id("xa-tan-phu-dong");
  r.set_period("2025");
  r.set_status(v1::REPORT_STATUS_SUBMITTED);
  v1::Indicator& pct = (*r.mutable_indicators())["households_pct"];
  pct.set_value(90);
  pct.set_unit("%");
  pct.set_qualifier(v1::QUALIFIER_MORE_THAN);
  v1::Mutation m = MutationBuilder("t1", 1, "report/a");
  for (const v1::FieldSet& set : SetsOf(
           r, {"area_id", "period", "status", "indicators/households_pct"})) {
    *m.add_sets() = set;
  }
  Push(m);
  // Through mutable_indicators() again: reflection reads a map through a
  // view that a kept reference's writes do not mark stale.
  v1::Indicator& exact = (*r.mutable_indicators())["households_pct"];
  exact.set_value(70);
  exact.set_qualifier(v1::QUALIFIER_UNSPECIFIED);
  m.set_key("report/b");
  m.set_mutation_seq(2);
  m.set_base_version(0);
  m.clear_sets();
  for (const v1::FieldSet& set : SetsOf(
           r, {"area_id", "period", "status", "indicators/households_pct"})) {
    *m.add_sets() = set;
  }
  Push(m);
  v1::TotalsRow row = Totals("tp-sa-dec");
  EXPECT_EQ(row.unit(), "%");
  EXPECT_FALSE(row.submitted().summed());
  EXPECT_EQ(row.submitted().sum(), 0);
  EXPECT_EQ(row.submitted().mean(), 80);
  EXPECT_EQ(row.submitted().min(), 70);
  EXPECT_EQ(row.submitted().max(), 90);
  EXPECT_TRUE(row.submitted().lower_bound());
}

TEST_F(LiveAggregatesTest, AStoreWithoutCellsGetsThemOnOpen) {
  Push(Members(1, 12)
           .AreaId("xa-tan-phu-dong")
           .Period("2025")
           .Status(v1::REPORT_STATUS_SUBMITTED));
  // As an older server left it: the cells and their marker gone.
  WriteSet wipe;
  auto live = StoredAggregates(*store_);
  ASSERT_OK(live);
  for (const auto& [key, cell] : *live)
    wipe.PutAggregate(key, std::make_shared<v1::AggregateCell>());
  wipe.DeleteMeta(std::string(kAggregatesMetaKey));
  ASSERT_OK(store_->Apply(wipe));
  ASSERT_EQ(Totals("tp-sa-dec").indicator(), "");

  replica_ = *ServerReplica::Open(
      {.store = store_.get(), .areas = &areas_, .clock = &clock_});
  EXPECT_EQ(Totals("tp-sa-dec").submitted().sum(), 12);
}

TEST(TotalsRequestTest, BadQuestionsNameTheFieldAndValue) {
  AreaTree areas = testing::SmallAreaTree();
  v1::Model model;
  model.set_id("m1");
  TotalsCatalogue catalogue{
      .model = [&](std::string_view id) -> const v1::Model* {
        return id == "m1" ? &model : nullptr;
      },
      .sector = [](std::string_view) -> const v1::Sector* { return nullptr; }};
  auto check = [&](auto edit) {
    v1::GetTotalsRequest request;
    request.set_area_id("tp-sa-dec");
    request.set_period("2021");
    edit(request);
    return CheckTotalsRequest(request, areas, catalogue, "2026-12-07");
  };
  auto ok = check([](v1::GetTotalsRequest&) {});
  ASSERT_OK(ok);
  EXPECT_EQ(ok->as_of, "2026-12-07");

  auto area = check([](auto& r) { r.set_area_id("xa-khong-co"); });
  EXPECT_EQ(area.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(area.status().message(), HasSubstr("xa-khong-co"));
  EXPECT_EQ(FieldViolations(area.status()).at(0).field(), "area_id");

  auto model_id = check([](auto& r) { r.set_model_id("m9"); });
  EXPECT_EQ(model_id.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FieldViolations(model_id.status()).at(0).field(), "model_id");

  auto future = check([](auto& r) { r.set_period("2031"); });
  EXPECT_EQ(future.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(future.status().message(), HasSubstr("2031"));
  EXPECT_EQ(FieldViolations(future.status()).at(0).field(), "period");
  EXPECT_FALSE(check([](auto& r) { r.set_period("21"); }).ok());

  auto as_of = check([](auto& r) { r.set_as_of("2021-02-30"); });
  EXPECT_EQ(FieldViolations(as_of.status()).at(0).field(), "as_of");
  EXPECT_FALSE(check([](auto& r) { r.set_as_of("2027-01-01"); }).ok());
}

TEST(TotalsRequestTest, AnAsOfBeforeTheAreaExistedIsRefused) {
  v1::Area province;
  province.set_id("dong-thap");
  v1::Area ward;
  ward.set_id("phuong-sa-dec");
  ward.set_parent_id("dong-thap");
  ward.set_valid_from("2025-07-01");
  AreaTree areas = *AreaTree::Build({province, ward});
  TotalsCatalogue catalogue{
      .model = [](std::string_view) -> const v1::Model* { return nullptr; },
      .sector = [](std::string_view) -> const v1::Sector* { return nullptr; }};
  v1::GetTotalsRequest request;
  request.set_area_id("phuong-sa-dec");
  request.set_period("2021");
  request.set_as_of("2021-12-31");
  auto refused = CheckTotalsRequest(request, areas, catalogue, "2026-12-07");
  EXPECT_EQ(FieldViolations(refused.status()).at(0).field(), "as_of");
  EXPECT_THAT(refused.status().message(), HasSubstr("2025-07-01"));
  request.set_as_of("2025-07-01");
  EXPECT_OK(CheckTotalsRequest(request, areas, catalogue, "2026-12-07"));
}

TEST(TotalsRequestTest, AnIndicatorNoReportGivesIsNotFound) {
  MemoryStore store;
  AreaTree areas = testing::SmallAreaTree();
  TotalsCatalogue catalogue{
      .model = [](std::string_view) -> const v1::Model* { return nullptr; },
      .sector = [](std::string_view) -> const v1::Sector* { return nullptr; }};
  TotalsQuery query{.area_id = "tp-sa-dec",
                    .period = "2021",
                    .indicator = "members",
                    .as_of = "2026-01-01"};
  auto rows = ComputeTotals(store, areas, catalogue, query);
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FieldViolations(rows.status()).at(0).field(), "indicator");
}

TEST_F(LiveAggregatesTest, ARenamedAreaIsNamedAsItWasOnTheDateAsked) {
  Push(MutationBuilder("t1", 1, "report/r1")
           .AreaId("xa-tan-phu-dong")
           .Period("2025")
           .Indicator("members", 40)
           .Status(v1::REPORT_STATUS_SUBMITTED));
  // Named in 2024, renamed a ward in 2025.
  v1::AreaChange named;
  named.set_action(v1::AREA_CHANGE_ACTION_RENAME);
  named.set_old_area_id("xa-tan-phu-dong");
  named.set_new_area_name("Xã Tân Phú Đông");
  named.set_valid_from("2024-01-01");
  v1::AreaChange rename = named;
  rename.set_new_area_name("Phường Tân Phú Đông");
  rename.set_valid_from("2025-07-01");
  auto changed = ApplyAreaChanges(areas_, {named, rename});
  ASSERT_OK(changed);
  auto renamed = areas_.With(*changed);
  ASSERT_OK(renamed);
  for (auto [day, name] :
       {std::pair<std::string, std::string>{"2025-06-30", "Xã Tân Phú Đông"},
        {"2025-07-01", "Phường Tân Phú Đông"}}) {
    TotalsQuery query{.area_id = "tp-sa-dec",
                      .period = "2025",
                      .by = v1::TOTALS_GROUPING_AREA,
                      .as_of = day};
    auto rows = ComputeTotals(*store_, *renamed, catalogue_, query);
    ASSERT_OK(rows);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().group_id(), "xa-tan-phu-dong");
    EXPECT_EQ(rows->front().group_name(), name) << day;
    EXPECT_EQ(renamed->FullNameOn("xa-tan-phu-dong", day), name);
  }
}

}  // namespace
}  // namespace fieldsync
