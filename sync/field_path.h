// Field paths into a document body: "results" names a top-level field,
// "indicators/members" one entry of a string-keyed map, so that two officers
// adding different indicators to one report touch different paths.
// protobuf 3.21's FieldMaskUtil cannot address map entries, hence this code.
//
// A path's value travels as the body message serialized with only that field
// (or that one map entry) set; an empty value means "cleared".
#ifndef FIELDSYNC_SYNC_FIELD_PATH_H_
#define FIELDSYNC_SYNC_FIELD_PATH_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "fieldsync/v1/sync.pb.h"
#include "google/protobuf/message.h"

namespace fieldsync {

// A resolved path.
struct FieldRef {
  const google::protobuf::FieldDescriptor* field = nullptr;
  bool map_entry = false;  // true: `key` names one entry of a map field
  std::string key;
};

// Resolves `path` against `type`; InvalidArgument naming the path if the
// field does not exist, a map is addressed without a key, or a non-map
// field is given one.
absl::StatusOr<FieldRef> ResolvePath(const google::protobuf::Descriptor* type,
                                     std::string_view path);

// The value at `ref` in `body`, serialized deterministically; "" if unset.
std::string ExtractValue(const google::protobuf::Message& body,
                         const FieldRef& ref);

// Parses `value` for `ref` as a message of `body`'s type holding only that
// field or map entry; nullptr for "" (clear), and for a singular scalar
// field (a string, a number, an enum), whose value is only checked here, on
// the wire, and parsed straight into the body by ApplyParsed. InvalidArgument
// naming the path if the value is anything else.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> ParseValue(
    const google::protobuf::Message& body, const FieldRef& ref,
    std::string_view value);

// Sets `ref` in `body` to `value`, given ParseValue(body, ref, value)'s
// result `parsed` ("" clears it).
void ApplyParsed(google::protobuf::Message& body, const FieldRef& ref,
                 std::string_view value,
                 const google::protobuf::Message* parsed);

// Sets `ref` in `body` to `value` ("" clears it). InvalidArgument naming the
// path if `value` does not parse as the field's type or sets anything else;
// `body` is unchanged then.
absl::Status ApplyValue(google::protobuf::Message& body, const FieldRef& ref,
                        std::string_view value);

// The FieldSet that sets `path` to its value in `body` (an empty value, a
// clear, when the field is unset or `path` names no field of `body`).
v1::FieldSet FieldSetOf(const google::protobuf::Message& body,
                        std::string_view path);

// Every path set in `body`: one per set top-level field, one per map entry.
std::vector<std::string> SetPaths(const google::protobuf::Message& body);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_FIELD_PATH_H_
