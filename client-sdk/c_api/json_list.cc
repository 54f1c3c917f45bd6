#include "client-sdk/c_api/json_list.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "sync/field_error.h"

namespace fieldsync::capi {

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  return json;
}

absl::Status FromJson(std::string_view json, std::string_view argument,
                      google::protobuf::Message& message) {
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &message);
  if (status.ok()) return absl::OkStatus();
  return InvalidFieldError(
      argument, absl::StrCat("is not a ", message.GetDescriptor()->full_name(),
                             " in JSON: ", std::string(status.message())));
}

}  // namespace fieldsync::capi
