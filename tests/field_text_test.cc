// Text typed on a tablet becomes the FieldSet an edit carries: each type's
// text, the errors that name the field and value, and an indicator's unit
// kept across an edit of its value.
#include "client-sdk/field_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sync/field_error.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

using client::FieldSetFromText;
using ::testing::HasSubstr;

// The report `set` makes from an empty one.
v1::Report Applied(const v1::FieldSet& set) {
  v1::Report report;
  auto ref = ResolvePath(report.GetDescriptor(), set.path());
  EXPECT_OK(ref);
  EXPECT_OK(ApplyValue(report, *ref, set.value()));
  return report;
}

v1::Report FromText(std::string_view path, std::string_view text) {
  auto set = FieldSetFromText("report/r1", path, text);
  EXPECT_OK(set);
  return set.ok() ? Applied(*set) : v1::Report();
}

TEST(FieldTextTest, StringsAreTakenAsTyped) {
  EXPECT_EQ(FromText("results", "Hội quán hoạt động tốt").results(),
            "Hội quán hoạt động tốt");
}

TEST(FieldTextTest, IndicatorsAreNumbers) {
  EXPECT_EQ(
      FromText("indicators/members", "59").indicators().at("members").value(),
      59);
  EXPECT_EQ(FromText("indicators/hectares", " 4,2 ")
                .indicators()
                .at("hectares")
                .value(),
            4.2);
  EXPECT_EQ(FromText("indicators/hectares", "-0.5")
                .indicators()
                .at("hectares")
                .value(),
            -0.5);
}

TEST(FieldTextTest, AMistypedNumberNamesTheFieldAndValue) {
  for (const char* text : {"năm mươi", "5x", "1.629,5", "1.2.3", "inf", "-"}) {
    auto set = FieldSetFromText("report/r1", "indicators/members", text);
    ASSERT_FALSE(set.ok()) << text;
    EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(set.status().message(), HasSubstr("indicators/members"));
    EXPECT_THAT(set.status().message(), HasSubstr(text));
    auto violations = FieldViolations(set.status());
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field(), "indicators/members");
  }
}

TEST(FieldTextTest, EnumsTakeTheirNameWithOrWithoutPrefix) {
  EXPECT_EQ(FromText("status", "submitted").status(),
            v1::REPORT_STATUS_SUBMITTED);
  EXPECT_EQ(FromText("status", "REPORT_STATUS_ACCEPTED").status(),
            v1::REPORT_STATUS_ACCEPTED);
  auto bad = FieldSetFromText("report/r1", "status", "finished");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("\"finished\""));
  EXPECT_THAT(bad.status().message(), HasSubstr("draft, submitted"));
}

TEST(FieldTextTest, EmptyTextClears) {
  auto set = FieldSetFromText("report/r1", "indicators/members", "");
  ASSERT_OK(set);
  EXPECT_EQ(set->path(), "indicators/members");
  EXPECT_EQ(set->value(), "");
}

TEST(FieldTextTest, InvalidUtf8NamesTheField) {
  auto set = FieldSetFromText("report/r1", "results", "k\xE1t");
  ASSERT_FALSE(set.ok());
  ASSERT_EQ(FieldViolations(set.status()).size(), 1u);
  EXPECT_EQ(FieldViolations(set.status())[0].field(), "results");
}

TEST(FieldTextTest, UnknownFieldsAndListsAreRefused) {
  EXPECT_FALSE(FieldSetFromText("report/r1", "colour", "red").ok());
  EXPECT_FALSE(FieldSetFromText("report/r1", "attachments/a1", "x").ok());
  EXPECT_FALSE(FieldSetFromText("model/m1", "notes", "x").ok());
  EXPECT_FALSE(FieldSetFromText("nothing/r1", "results", "x").ok());
}

TEST(FieldTextTest, AnIndicatorKeepsItsUnitAndDropsItsPrintedText) {
  v1::Document current;
  v1::Indicator& old = (*current.mutable_report()->mutable_indicators())["ha"];
  old.set_value(1629);
  old.set_unit("ha");
  old.set_label_vi("diện tích");
  old.set_value_text("trên 1.629");
  old.set_qualifier(v1::QUALIFIER_MORE_THAN);
  auto set = FieldSetFromText("report/r1", "indicators/ha", "1700", &current);
  ASSERT_OK(set);
  const v1::Report report = Applied(*set);
  const v1::Indicator& now = report.indicators().at("ha");
  EXPECT_EQ(now.value(), 1700);
  EXPECT_EQ(now.unit(), "ha");
  EXPECT_EQ(now.label_vi(), "diện tích");
  EXPECT_EQ(now.value_text(), "");
  EXPECT_EQ(now.qualifier(), v1::QUALIFIER_UNSPECIFIED);
}

}  // namespace
}  // namespace fieldsync
