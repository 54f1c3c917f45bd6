// Protobuf messages as the C API's JSON: proto3 JSON with the .proto field
// names, like the CLI's --json, and lists as JSON arrays.
#ifndef FIELDSYNC_CLIENT_SDK_C_API_JSON_LIST_H_
#define FIELDSYNC_CLIENT_SDK_C_API_JSON_LIST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace fieldsync::capi {

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

// "[" + each message's JSON, comma-separated + "]".
template <typename T>
absl::StatusOr<std::string> ToJsonArray(const std::vector<T>& messages) {
  std::string out = "[";
  for (const T& m : messages) {
    absl::StatusOr<std::string> json = ToJson(m);
    if (!json.ok()) return json.status();
    if (out.size() > 1) out += ",";
    out += *json;
  }
  out += "]";
  return out;
}

// Parses `json` into `message`; InvalidArgument naming `argument`, e.g.
// for an unknown field or a misspelt enum value.
absl::Status FromJson(std::string_view json, std::string_view argument,
                      google::protobuf::Message& message);

}  // namespace fieldsync::capi

#endif  // FIELDSYNC_CLIENT_SDK_C_API_JSON_LIST_H_
