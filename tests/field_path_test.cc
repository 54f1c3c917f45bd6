#include "sync/field_path.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fieldsync/v1/report.pb.h"
#include "tests/mutation_builder.h"

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
  ASSERT_TRUE(ApplyValue(target, Ref("indicators/members"), members).ok());
  EXPECT_EQ(target.indicators().at("members").value(), 59);
  EXPECT_EQ(target.indicators().at("cameras").value(), 495);
  EXPECT_FALSE(target.indicators().contains("hectares"));

  ASSERT_TRUE(ApplyValue(target, Ref("indicators/cameras"), "").ok());
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

}  // namespace
}  // namespace fieldsync
