#include "sync/field_error.h"

#include <gtest/gtest.h>

namespace fieldsync {
namespace {

TEST(FieldErrorTest, CarriesFieldAndDescription) {
  absl::Status s = InvalidFieldError("area_id", "unknown area \"xa-x\"");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "area_id: unknown area \"xa-x\"");
  auto violations = FieldViolations(s);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "area_id");
  EXPECT_EQ(violations[0].description(), "unknown area \"xa-x\"");
}

// A refused value is quoted as sent, but the details are protobuf strings:
// bytes that are not UTF-8 would make a client's parser refuse them all.
TEST(FieldErrorTest, BytesThatAreNotUtf8AreEscaped) {
  absl::Status s = InvalidFieldError("indicators/h\xe1",
                                     "unknown indicator \"h\xe1\xbb\" (Đông)");
  auto violations = FieldViolations(s);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "indicators/h\\xe1");
  EXPECT_EQ(violations[0].description(),
            "unknown indicator \"h\\xe1\\xbb\" (Đông)");
  EXPECT_EQ(s.message(),
            "indicators/h\\xe1: unknown indicator \"h\\xe1\\xbb\" (Đông)");
  // Serialized and parsed again as a client would: nothing is lost.
  v1::BadRequest round_trip;
  ASSERT_TRUE(round_trip.ParseFromString([&] {
    v1::BadRequest b;
    *b.add_field_violations() = violations[0];
    return b.SerializeAsString();
  }()));
  EXPECT_EQ(round_trip.field_violations(0).description(),
            violations[0].description());
}

TEST(FieldErrorTest, PlainStatusHasNoViolations) {
  EXPECT_TRUE(FieldViolations(absl::NotFoundError("x")).empty());
}

}  // namespace
}  // namespace fieldsync
