// The C API's error edge: statuses become fs_errors that name the field,
// messages are UTF-8 whatever the input was, and no exception reaches C,
// not even when there is no memory left for an error.
#include "client-sdk/c_api/c_error.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "sync/field_error.h"
#include "sync/text_fold.h"

namespace fieldsync {
namespace {

using capi::Guard;

TEST(CErrorTest, AFieldErrorNamesTheField) {
  fs_error* err = nullptr;
  EXPECT_FALSE(Guard(&err, [] {
    return InvalidFieldError("indicators/members", "\"5x\" is not a number");
  }));
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->code, FS_INVALID_ARGUMENT);
  EXPECT_STREQ(err->field, "indicators/members");
  EXPECT_STREQ(err->message, "indicators/members: \"5x\" is not a number");
  fs_error_free(err);
}

TEST(CErrorTest, OtherErrorsHaveAnEmptyField) {
  fs_error* err = nullptr;
  EXPECT_FALSE(Guard(&err, [] { return absl::UnavailableError("no link"); }));
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->code, FS_UNAVAILABLE);
  EXPECT_STREQ(err->field, "");
  fs_error_free(err);
}

TEST(CErrorTest, MessagesAreUtf8EvenWhenTheyQuoteBadInput) {
  fs_error* err = nullptr;
  EXPECT_FALSE(Guard(&err, [] {
    return absl::NotFoundError("no document \"report/h\xF4i\" (Đông)");
  }));
  ASSERT_NE(err, nullptr);
  EXPECT_TRUE(IsValidUtf8(err->message)) << err->message;
  EXPECT_STREQ(err->message, "no document \"report/h\\xf4i\" (Đông)");
  fs_error_free(err);
}

TEST(CErrorTest, NoExceptionEscapes) {
  fs_error* err = nullptr;
  EXPECT_FALSE(Guard(&err, []() -> absl::Status { throw std::bad_alloc(); }));
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->code, FS_RESOURCE_EXHAUSTED);
  EXPECT_STREQ(err->message, "out of memory");
  fs_error_free(err);  // the preallocated error: freeing it is a no-op

  err = nullptr;
  EXPECT_FALSE(Guard(
      &err, []() -> absl::Status { throw std::runtime_error("surprise"); }));
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->code, FS_INTERNAL);
  fs_error_free(err);
}

TEST(CErrorTest, ANullOutParameterOnlyDropsTheError) {
  EXPECT_FALSE(Guard(nullptr, [] { return absl::InternalError("dropped"); }));
  EXPECT_TRUE(Guard(nullptr, [] { return absl::OkStatus(); }));
  fs_error_free(nullptr);
  fs_free_string(nullptr);
}

}  // namespace
}  // namespace fieldsync
