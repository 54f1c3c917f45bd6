// A field's value as a person reads it: "59 hộ", "Tân Phú Đông", "ACCEPTED".
// Used for conflict and rejection notices, the CLI and the C API.
#ifndef FIELDSYNC_CLIENT_SDK_VALUE_TEXT_H_
#define FIELDSYNC_CLIENT_SDK_VALUE_TEXT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "fieldsync/v1/document.pb.h"

namespace fieldsync::client {

// The value at `path` in `doc`'s body; "" when unset or the doc has none.
std::string DocumentValueText(const v1::Document& doc, std::string_view path);

// A FieldSet value (serialized as in sync/field_path.h) of `path` in a
// document `key`, as text; InvalidArgument if it does not parse.
absl::StatusOr<std::string> FieldSetValueText(std::string_view key,
                                              std::string_view path,
                                              std::string_view value);

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_VALUE_TEXT_H_
