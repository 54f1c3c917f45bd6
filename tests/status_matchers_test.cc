// ASSERT_OK and EXPECT_OK (tests/support/status_matchers.h) fail on a
// status that is not OK, saying what it was, and pass on one that is.
#include "tests/support/status_matchers.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "absl/status/statusor.h"

namespace fieldsync {
namespace {

TEST(StatusMatchersTest, AFailureSaysTheExpressionAndTheStatus) {
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(absl::NotFoundError("no report r1")),
                          "NOT_FOUND: no report r1");
  EXPECT_FATAL_FAILURE(
      ASSERT_OK(absl::StatusOr<int>(absl::InternalError("boom"))), "boom");
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(absl::DataLossError("x")),
                          "absl::DataLossError(\"x\") is not OK");
}

TEST(StatusMatchersTest, OkPassesAndIsEvaluatedOnce) {
  int calls = 0;
  auto once = [&calls]() -> absl::StatusOr<int> {
    ++calls;
    return 3;
  };
  ASSERT_OK(once());
  EXPECT_OK(absl::OkStatus());
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace fieldsync
