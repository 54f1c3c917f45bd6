// Checks shared by the monitoring queries (totals, completeness): a date to
// read the hierarchy on, a period, an area that existed on that date. Each
// refusal is a precise error naming the field and the value
// (sync/field_error.h); nothing here reads the store.
#ifndef FIELDSYNC_SYNC_QUERY_CHECKS_H_
#define FIELDSYNC_SYNC_QUERY_CHECKS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "sync/area_tree.h"

namespace fieldsync {

// The date asked, `as_of` or `today` (YYYY-MM-DD) when empty;
// InvalidArgument naming "as_of" if it is not a date or after today.
absl::StatusOr<std::string> CheckAsOf(std::string_view as_of,
                                      std::string_view today);

// InvalidArgument naming "period" unless `period` starts with a year
// ("2021", "2025-Q2") that is not after `today`'s.
absl::Status CheckPeriod(std::string_view period, std::string_view today);

// NotFound naming "area_id" for an unknown area; InvalidArgument naming
// "as_of" for an area that did not exist on `as_of` (one merged or
// dissolved by then names where it went: CheckAreaOn in area_tree.h).
absl::Status CheckQueryArea(std::string_view area_id, std::string_view as_of,
                            const AreaTree& areas);

// NotFound naming field "area_id" and `id`: an unknown area, and as well
// an area the caller may not read, which must not be told apart from it.
absl::Status UnknownAreaError(std::string_view id);

// NotFound naming field "model_id" and `id`: an unknown model, and as well
// one the caller may not see.
absl::Status UnknownModelError(std::string_view id);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_QUERY_CHECKS_H_
