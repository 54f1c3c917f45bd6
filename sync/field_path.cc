#include "sync/field_path.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "google/protobuf/reflection.h"
#include "sync/deterministic.h"
#include "sync/field_error.h"

namespace fieldsync {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The index of the map entry with `key` in the map field, or -1.
int FindMapEntry(const Message& body, const FieldRef& ref) {
  const Reflection* reflection = body.GetReflection();
  const FieldDescriptor* key_field = ref.field->message_type()->map_key();
  const int size = reflection->FieldSize(body, ref.field);
  for (int i = 0; i < size; ++i) {
    const Message& entry = reflection->GetRepeatedMessage(body, ref.field, i);
    if (entry.GetReflection()->GetString(entry, key_field) == ref.key) return i;
  }
  return -1;
}

void ClearValue(Message& body, const FieldRef& ref) {
  const Reflection* reflection = body.GetReflection();
  if (!ref.map_entry) {
    reflection->ClearField(&body, ref.field);
    return;
  }
  const int index = FindMapEntry(body, ref);
  if (index < 0) return;
  const int last = reflection->FieldSize(body, ref.field) - 1;
  if (index != last) reflection->SwapElements(&body, ref.field, index, last);
  reflection->RemoveLast(&body, ref.field);
}

// True if `partial` sets exactly the field (and map key) `ref` names.
bool SetsOnly(const Message& partial, const FieldRef& ref) {
  std::vector<const FieldDescriptor*> set;
  partial.GetReflection()->ListFields(partial, &set);
  if (set.size() != 1 || set[0] != ref.field) return false;
  if (!partial.GetReflection()->GetUnknownFields(partial).empty()) return false;
  if (!ref.map_entry) return true;
  return partial.GetReflection()->FieldSize(partial, ref.field) == 1 &&
         FindMapEntry(partial, ref) == 0;
}

}  // namespace

absl::StatusOr<FieldRef> ResolvePath(const google::protobuf::Descriptor* type,
                                     std::string_view path) {
  const size_t slash = path.find('/');
  const std::string name(path.substr(0, slash));
  FieldRef ref;
  ref.field = type->FindFieldByName(name);
  if (ref.field == nullptr) {
    return InvalidFieldError(
        "path", absl::StrCat("\"", std::string(path), "\": ", type->name(),
                             " has no field \"", name, "\""));
  }
  if (ref.field->is_map()) {
    if (slash == std::string_view::npos || slash + 1 == path.size()) {
      return InvalidFieldError(
          "path",
          absl::StrCat("\"", std::string(path), "\": map field \"", name,
                       "\" needs a key, e.g. \"", name, "/code\""));
    }
    if (ref.field->message_type()->map_key()->type() !=
        FieldDescriptor::TYPE_STRING) {
      return InvalidFieldError(
          "path", absl::StrCat("\"", std::string(path),
                               "\": only string-keyed maps are addressable"));
    }
    ref.map_entry = true;
    ref.key = std::string(path.substr(slash + 1));
    return ref;
  }
  if (slash != std::string_view::npos) {
    return InvalidFieldError(
        "path", absl::StrCat("\"", std::string(path), "\": field \"", name,
                             "\" is not a map, so it takes no key"));
  }
  return ref;
}

std::string ExtractValue(const Message& body, const FieldRef& ref) {
  std::unique_ptr<Message> partial(body.New());
  const Reflection* reflection = body.GetReflection();
  if (ref.map_entry) {
    const int index = FindMapEntry(body, ref);
    if (index < 0) return "";
    partial->GetReflection()
        ->AddMessage(partial.get(), ref.field)
        ->CopyFrom(reflection->GetRepeatedMessage(body, ref.field, index));
    return DeterministicBytes(*partial);
  }
  if (ref.field->is_repeated() ? reflection->FieldSize(body, ref.field) == 0
                               : !reflection->HasField(body, ref.field)) {
    return "";
  }
  // Copy the whole message, then keep only the field: reflection has no
  // generic single-field copy for every type.
  partial->CopyFrom(body);
  std::vector<const FieldDescriptor*> set;
  reflection->ListFields(*partial, &set);
  for (const FieldDescriptor* f : set) {
    if (f != ref.field) reflection->ClearField(partial.get(), f);
  }
  return DeterministicBytes(*partial);
}

absl::Status ApplyValue(Message& body, const FieldRef& ref,
                        std::string_view value) {
  std::unique_ptr<Message> partial(body.New());
  if (!value.empty()) {
    if (!partial->ParseFromArray(value.data(),
                                 static_cast<int>(value.size())) ||
        !SetsOnly(*partial, ref)) {
      return InvalidFieldError(
          "value",
          absl::StrCat("the value for \"", ref.field->name(),
                       ref.map_entry ? "/" + ref.key : "",
                       "\" does not parse as a ", body.GetDescriptor()->name(),
                       " with only that ",
                       ref.map_entry ? "map entry" : "field", " set"));
    }
  }
  ClearValue(body, ref);
  if (!value.empty()) body.MergeFrom(*partial);
  return absl::OkStatus();
}

std::vector<std::string> SetPaths(const Message& body) {
  std::vector<std::string> paths;
  std::vector<const FieldDescriptor*> set;
  const Reflection* reflection = body.GetReflection();
  reflection->ListFields(body, &set);
  for (const FieldDescriptor* f : set) {
    if (!f->is_map()) {
      paths.push_back(f->name());
      continue;
    }
    const FieldDescriptor* key_field = f->message_type()->map_key();
    for (int i = 0; i < reflection->FieldSize(body, f); ++i) {
      const Message& entry = reflection->GetRepeatedMessage(body, f, i);
      paths.push_back(absl::StrCat(
          f->name(), "/", entry.GetReflection()->GetString(entry, key_field)));
    }
  }
  return paths;
}

}  // namespace fieldsync
