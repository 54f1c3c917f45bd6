// A field's value typed by a person, as text, turned into the FieldSet an
// edit carries (sync/field_path.h): "Tân Phú Đông" for a string field, "59"
// for the indicator "indicators/members", "submitted" for a report's status.
// Shared by the C API and the collector CLI, so both accept the same text.
#ifndef FIELDSYNC_CLIENT_SDK_FIELD_TEXT_H_
#define FIELDSYNC_CLIENT_SDK_FIELD_TEXT_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "fieldsync/v1/document.pb.h"
#include "fieldsync/v1/sync.pb.h"

namespace fieldsync::client {

// The FieldSet that sets `path` of document `key` to `text`, converted by
// the field's type:
//   string             as is
//   integer, double    a decimal number, "." or "," as the decimal mark,
//                      no digit grouping ("1629", "4.2", "4,2", "-3")
//   bool               "true" or "false"
//   enum               its value's name with or without the enum's prefix,
//                      any case ("submitted", "REPORT_STATUS_SUBMITTED")
//   indicator entry    a number, its Indicator.value ("indicators/members")
// "" clears the field. An indicator keeps the unit and label it has in
// `current` (the document as the tablet sees it, may be null); the printed
// text and qualifier are dropped, since they described the old value.
// InvalidArgument (sync/field_error.h) naming the path and the value when
// the text is not valid UTF-8, does not parse, or the field takes no text
// (repeated fields, attachments).
absl::StatusOr<v1::FieldSet> FieldSetFromText(
    std::string_view key, std::string_view path, std::string_view text,
    const v1::Document* current = nullptr);

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_FIELD_TEXT_H_
