#include "sync/field_error.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "sync/text_fold.h"

namespace fieldsync {

absl::Status InvalidFieldError(std::string_view field,
                               std::string_view description) {
  return FieldError(absl::StatusCode::kInvalidArgument, field, description);
}

absl::Status FieldError(absl::StatusCode code, std::string_view raw_field,
                        std::string_view raw_description) {
  // Descriptions quote the value refused, which may be any bytes a client
  // sent; the details travel as protobuf strings, which must be UTF-8.
  const std::string field = EscapeInvalidUtf8(raw_field);
  const std::string description = EscapeInvalidUtf8(raw_description);
  absl::Status status(code, absl::StrCat(field, ": ", description));
  google::rpc::BadRequest bad_request;
  FieldViolation* violation = bad_request.add_field_violations();
  violation->set_field(field);
  violation->set_description(description);
  status.SetPayload(
      absl::string_view(kBadRequestTypeUrl.data(), kBadRequestTypeUrl.size()),
      absl::Cord(bad_request.SerializeAsString()));
  return status;
}

std::vector<FieldViolation> FieldViolations(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(
      absl::string_view(kBadRequestTypeUrl.data(), kBadRequestTypeUrl.size()));
  if (!payload.has_value()) return {};
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return {};
  return {bad_request.field_violations().begin(),
          bad_request.field_violations().end()};
}

}  // namespace fieldsync
