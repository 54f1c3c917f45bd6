#include "sync/field_path.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "fieldsync/v1/area.pb.h"
#include "fieldsync/v1/report.pb.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

using ::testing::HasSubstr;

const google::protobuf::Descriptor* kReport = v1::Report::descriptor();

FieldRef Ref(const std::string& path) { return *ResolvePath(kReport, path); }

TEST(FieldPathTest, ResolvesFieldsAndMapEntries) {
  EXPECT_FALSE(Ref("results").map_entry);
  FieldRef entry = Ref("indicators/members");
  EXPECT_TRUE(entry.map_entry);
  EXPECT_EQ(entry.key, "members");
  EXPECT_THAT(std::string(ResolvePath(kReport, "colour").status().message()),
              HasSubstr("no field \"colour\""));
  EXPECT_THAT(
      std::string(ResolvePath(kReport, "indicators").status().message()),
      HasSubstr("needs a key"));
  EXPECT_THAT(std::string(ResolvePath(kReport, "results/x").status().message()),
              HasSubstr("not a map"));
}

TEST(FieldPathTest, ExtractAndApplyOneMapEntryLeaveTheOthers) {
  v1::Report source;
  (*source.mutable_indicators())["members"].set_value(59);
  (*source.mutable_indicators())["hectares"].set_value(2541);
  source.set_results("kết quả");
  const std::string members = ExtractValue(source, Ref("indicators/members"));

  v1::Report target;
  (*target.mutable_indicators())["cameras"].set_value(495);
  ASSERT_OK(ApplyValue(target, Ref("indicators/members"), members));
  EXPECT_EQ(target.indicators().at("members").value(), 59);
  EXPECT_EQ(target.indicators().at("cameras").value(), 495);
  EXPECT_FALSE(target.indicators().contains("hectares"));

  ASSERT_OK(ApplyValue(target, Ref("indicators/cameras"), ""));
  EXPECT_FALSE(target.indicators().contains("cameras"));
  EXPECT_EQ(ExtractValue(target, Ref("indicators/cameras")), "");
}

TEST(FieldPathTest, ExtractCopiesOnlyTheField) {
  v1::Report source;
  source.set_results("r");
  source.set_difficulties("d");
  v1::Report parsed;
  ASSERT_TRUE(parsed.ParseFromString(ExtractValue(source, Ref("results"))));
  EXPECT_EQ(parsed.results(), "r");
  EXPECT_EQ(parsed.difficulties(), "");
  EXPECT_EQ(SetPaths(source),
            (std::vector<std::string>{"results", "difficulties"}));
}

TEST(FieldPathTest, ValuesThatSetAnythingElseAreRefused) {
  v1::Report other;
  other.set_difficulties("d");
  v1::Report target;
  target.set_results("kept");
  // The bytes of another field, offered as "results".
  absl::Status wrong_field =
      ApplyValue(target, Ref("results"), other.SerializeAsString());
  EXPECT_THAT(std::string(wrong_field.message()), HasSubstr("does not parse"));
  EXPECT_EQ(target.results(), "kept");

  v1::Report hectares;
  (*hectares.mutable_indicators())["hectares"].set_value(1);
  absl::Status wrong_key =
      ApplyValue(target, Ref("indicators/members"),
                 testing::ValueOf(hectares, "indicators/hectares"));
  EXPECT_FALSE(wrong_key.ok());
  EXPECT_FALSE(ApplyValue(target, Ref("results"), "\xff\xff").ok());
}

// Found by tests/fuzz/mutation_value_fuzz.cc: the right field number with
// another wire type (Area.notes, a repeated string, sent as the varint 0)
// was parsed into unknown fields and stored in the document as they were.
TEST(FieldPathTest, ValuesOfTheRightNumberButAnotherWireTypeAreRefused) {
  v1::Area area;
  auto notes = ResolvePath(v1::Area::descriptor(), "notes");
  ASSERT_OK(notes);
  const std::string fuzzed("x\0", 2);  // field 15, varint, 0
  EXPECT_FALSE(ApplyValue(area, *notes, fuzzed).ok());
  EXPECT_EQ(area.ByteSizeLong(), 0u);
  // A singular string sent as a varint is refused as well.
  v1::Report report;
  auto results = ResolvePath(kReport, "results");
  ASSERT_OK(results);
  const std::string varint_as_string("\x30\x01", 2);  // field 6 as varint
  EXPECT_FALSE(ApplyValue(report, *results, varint_as_string).ok());
}

// A singular scalar's value is checked on the wire, not parsed into a
// message of its own (ParseValue returns none), and ApplyParsed parses it
// into the body: what parsing would accept, and nothing else.
TEST(FieldPathTest, ScalarValuesAreCheckedOnTheWire) {
  v1::Report source;
  source.set_results("Lúa chất lượng cao");
  source.set_status(v1::REPORT_STATUS_SUBMITTED);
  const std::string results = ExtractValue(source, Ref("results"));
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> parsed =
      ParseValue(v1::Report(), Ref("results"), results);
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, nullptr);

  v1::Report target;
  target.set_results("old");
  ASSERT_OK(ApplyValue(target, Ref("results"), results));
  ASSERT_TRUE(
      ApplyValue(target, Ref("status"), ExtractValue(source, Ref("status")))
          .ok());
  EXPECT_EQ(target.results(), "Lúa chất lượng cao");
  EXPECT_EQ(target.status(), v1::REPORT_STATUS_SUBMITTED);

  // An empty string, and two records of one field (the last one counts, as
  // in any parse).
  ASSERT_TRUE(
      ApplyValue(target, Ref("results"), std::string("\x32\x00", 2)).ok());
  EXPECT_EQ(target.results(), "");
  v1::Report second;
  second.set_results("mới");
  ASSERT_TRUE(ApplyValue(target, Ref("results"),
                         results + ExtractValue(second, Ref("results")))
                  .ok());
  EXPECT_EQ(target.results(), "mới");
}

TEST(FieldPathTest, ScalarValuesOfAnotherTypeOrNotUtf8AreRefused) {
  v1::Report target;
  target.set_results("kept");
  target.set_status(v1::REPORT_STATUS_DRAFT);
  // "results" is field 6, a string, and "status" field 10, an enum: the
  // right number with a varint, a length-delimited enum, bytes that are not
  // UTF-8, a cut-off string.
  for (const std::string& value :
       {std::string("\x30\x01"), std::string("\x52\x01\x01"),
        std::string("\x32\x02\xc3\x28"),
        std::string("\x32\x05"
                    "ab")}) {
    SCOPED_TRACE(absl::CEscape(value));
    const FieldRef ref = Ref(value[0] == '\x52' ? "status" : "results");
    absl::Status s = ApplyValue(target, ref, value);
    EXPECT_THAT(std::string(s.message()), HasSubstr("does not parse"));
  }
  EXPECT_EQ(target.results(), "kept");
  EXPECT_EQ(target.status(), v1::REPORT_STATUS_DRAFT);
}

}  // namespace
}  // namespace fieldsync
