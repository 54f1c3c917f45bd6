// The two macros FieldSync allows (STYLE.md): propagate a non-OK status, and
// unwrap a StatusOr or return its status.
#ifndef FIELDSYNC_SYNC_STATUS_MACROS_H_
#define FIELDSYNC_SYNC_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define FS_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status fs_status_ = (expr);      \
    if (!fs_status_.ok()) return fs_status_; \
  } while (false)

#define FS_STATUS_CONCAT_INNER_(a, b) a##b
#define FS_STATUS_CONCAT_(a, b) FS_STATUS_CONCAT_INNER_(a, b)

#define FS_ASSIGN_OR_RETURN(lhs, expr)                                      \
  FS_ASSIGN_OR_RETURN_IMPL_(FS_STATUS_CONCAT_(fs_statusor_, __LINE__), lhs, \
                            expr)

#define FS_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                              \
  if (!statusor.ok()) return statusor.status();        \
  lhs = std::move(statusor).value()

#endif  // FIELDSYNC_SYNC_STATUS_MACROS_H_
