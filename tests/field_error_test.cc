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

TEST(FieldErrorTest, PlainStatusHasNoViolations) {
  EXPECT_TRUE(FieldViolations(absl::NotFoundError("x")).empty());
}

}  // namespace
}  // namespace fieldsync
