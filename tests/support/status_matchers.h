// ASSERT_OK / EXPECT_OK for absl::Status and absl::StatusOr (and the gRPC
// and RocksDB statuses tests meet): on failure they print the expression
// and the status, which a bare ASSERT_TRUE(x.ok()) does not. The
// expression is evaluated once.
#ifndef FIELDSYNC_TESTS_SUPPORT_STATUS_MATCHERS_H_
#define FIELDSYNC_TESTS_SUPPORT_STATUS_MATCHERS_H_

#include <gtest/gtest.h>

#include <string>

namespace fieldsync::testing {

// What a failed status says, whichever library's it is.
template <typename S>
std::string StatusText(const S& status) {
  if constexpr (requires { status.status(); }) {  // absl::StatusOr
    return StatusText(status.status());
  } else if constexpr (requires { status.error_message(); }) {  // gRPC
    return std::to_string(static_cast<int>(status.error_code())) + ": " +
           status.error_message();
  } else {  // absl::Status, rocksdb::Status
    return status.ToString();
  }
}

}  // namespace fieldsync::testing

// The switch keeps an `else` after the macro from binding to its `if`, as
// gtest's own macros do.
#define FIELDSYNC_STATUS_CHECK_(expr, fail)                               \
  switch (0)                                                              \
  case 0:                                                                 \
  default:                                                                \
    if (const auto& fieldsync_status_ = (expr); fieldsync_status_.ok()) { \
    } else                                                                \
      fail() << #expr << " is not OK: "                                   \
             << ::fieldsync::testing::StatusText(fieldsync_status_)

#define ASSERT_OK(expr) FIELDSYNC_STATUS_CHECK_(expr, FAIL)
#define EXPECT_OK(expr) FIELDSYNC_STATUS_CHECK_(expr, ADD_FAILURE)

#endif  // FIELDSYNC_TESTS_SUPPORT_STATUS_MATCHERS_H_
