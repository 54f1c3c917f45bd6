// The hand-written wire format of the aggregate deltas (sync/group_cells.h)
// against the generated code's, and a group's deltas folded into cells.
#include "sync/group_cells.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "fieldsync/v1/aggregate_delta.pb.h"
#include "sync/cell_delta.h"

namespace fieldsync {
namespace {

TEST(GroupCellsTest, ValueMovesParseAsTheGeneratedCodeWritesThem) {
  const std::string long_unit(300, 'u');  // a length of two varint bytes
  for (double value : {0.0, -0.0, 40.0, 59.5, -3.25, 1e300,
                       std::numeric_limits<double>::denorm_min()}) {
    for (int flags = 0; flags < 8; ++flags) {
      const bool accepted = flags & 1, lower_bound = flags & 2,
                 remove = flags & 4;
      std::string out = "earlier bytes stay";
      AppendValueMove(out, "members", flags == 5 ? long_unit : "thành viên",
                      accepted, value, lower_bound, remove);
      v1::AggregateDelta parsed;
      ASSERT_TRUE(parsed.ParseFromString(out.substr(18)));
      ASSERT_EQ(parsed.values_size(), 1);
      const v1::ValueMove& move = parsed.values(0);
      EXPECT_EQ(move.indicator(), "members");
      EXPECT_EQ(move.unit(), flags == 5 ? long_unit : "thành viên");
      EXPECT_EQ(move.accepted(), accepted);
      EXPECT_EQ(move.lower_bound(), lower_bound);
      EXPECT_EQ(move.remove(), remove);
      EXPECT_EQ(std::signbit(move.value()), std::signbit(value));
      EXPECT_EQ(move.value(), value);
      // The generated code's bytes, but for a 0 it leaves out.
      v1::AggregateDelta expected;
      *expected.add_values() = move;
      if (value != 0 || std::signbit(value)) {
        EXPECT_EQ(out.substr(18), expected.SerializeAsString());
      }
    }
  }
}

TEST(GroupCellsTest, CountMovesParseAsTheGeneratedCodeWritesThem) {
  for (v1::ReportStatus status :
       {v1::REPORT_STATUS_DRAFT, v1::REPORT_STATUS_SUBMITTED,
        v1::REPORT_STATUS_ACCEPTED, v1::REPORT_STATUS_RETURNED}) {
    for (bool remove : {false, true}) {
      std::string out;
      AppendCountMove(out, status, remove);
      v1::AggregateDelta expected;
      v1::CountMove* move = expected.add_counts();
      move->set_status(status);
      move->set_remove(remove);
      EXPECT_EQ(out, expected.SerializeAsString());
    }
  }
}

v1::Document Report(std::string_view status_name, v1::ReportStatus status,
                    double members) {
  v1::Document doc;
  doc.set_key(std::string("report/") + std::string(status_name));
  v1::Report& report = *doc.mutable_report();
  report.set_period("2021");
  report.set_area_id("xa-tan-khanh-dong");
  report.set_model_id("m-1");
  report.set_status(status);
  v1::Indicator& indicator = (*report.mutable_indicators())["members"];
  indicator.set_unit("thành viên");
  indicator.set_value(members);
  return doc;
}

TEST(GroupCellsTest, AnEditMovesTheDifferenceAndANarrativeEditNothing) {
  GroupCells cells;
  const v1::Document first = Report("a", v1::REPORT_STATUS_SUBMITTED, 40);
  cells.Record(nullptr, first);
  const v1::Document edited = Report("a", v1::REPORT_STATUS_SUBMITTED, 59);
  cells.Record(&first, edited);
  v1::Document narrative = edited;
  narrative.mutable_report()->set_results("Đã nhân rộng");
  cells.Record(&edited, narrative);
  auto deltas = cells.Take();
  ASSERT_EQ(deltas.size(), 1u);
  EXPECT_TRUE(cells.empty());
  v1::AggregateCell cell;
  uint64_t mismatches = 0;
  std::string_view operand = deltas[0].second;
  auto folded = FoldCell(deltas[0].first, nullptr, {operand}, mismatches);
  ASSERT_TRUE(folded.ok()) << folded.status();
  ASSERT_TRUE(cell.ParseFromString(*folded));
  EXPECT_EQ(mismatches, 0u);
  ASSERT_EQ(cell.indicators_size(), 1);
  EXPECT_EQ(cell.indicators(0).submitted().values_size(), 1);
  EXPECT_EQ(cell.indicators(0).submitted().values(0), 59);
  EXPECT_EQ(cell.reports().submitted(), 1u);
}

}  // namespace
}  // namespace fieldsync
