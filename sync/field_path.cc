#include "sync/field_path.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/wire_format_lite.h"
#include "sync/deterministic.h"
#include "sync/field_error.h"

namespace fieldsync {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::internal::WireFormatLite;

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

// Copies one field (all its elements, if repeated) from `from` to `to`,
// which have the same type. Reflection has no generic single-field copy,
// and copying the whole message to keep one field costs far more.
void CopyField(const Message& from, Message& to, const FieldDescriptor* f) {
  const Reflection* r = from.GetReflection();
  const Reflection* w = to.GetReflection();
  if (f->is_repeated()) {
    for (int i = 0; i < r->FieldSize(from, f); ++i) {
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_INT32:
          w->AddInt32(&to, f, r->GetRepeatedInt32(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          w->AddInt64(&to, f, r->GetRepeatedInt64(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          w->AddUInt32(&to, f, r->GetRepeatedUInt32(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_UINT64:
          w->AddUInt64(&to, f, r->GetRepeatedUInt64(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_DOUBLE:
          w->AddDouble(&to, f, r->GetRepeatedDouble(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_FLOAT:
          w->AddFloat(&to, f, r->GetRepeatedFloat(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          w->AddBool(&to, f, r->GetRepeatedBool(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_ENUM:
          w->AddEnumValue(&to, f, r->GetRepeatedEnumValue(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_STRING:
          w->AddString(&to, f, r->GetRepeatedString(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_MESSAGE:
          w->AddMessage(&to, f)->CopyFrom(r->GetRepeatedMessage(from, f, i));
          break;
      }
    }
    return;
  }
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      w->SetInt32(&to, f, r->GetInt32(from, f));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      w->SetInt64(&to, f, r->GetInt64(from, f));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      w->SetUInt32(&to, f, r->GetUInt32(from, f));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      w->SetUInt64(&to, f, r->GetUInt64(from, f));
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      w->SetDouble(&to, f, r->GetDouble(from, f));
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      w->SetFloat(&to, f, r->GetFloat(from, f));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      w->SetBool(&to, f, r->GetBool(from, f));
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      w->SetEnumValue(&to, f, r->GetEnumValue(from, f));
      break;
    case FieldDescriptor::CPPTYPE_STRING:
      w->SetString(&to, f, r->GetString(from, f));
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      w->MutableMessage(&to, f)->CopyFrom(r->GetMessage(from, f));
      break;
  }
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
// True if the wire bytes of `value` hold only fields numbered like `ref`'s
// (one field; repeated and packed fields may take several records). Reading
// the tags is far cheaper than listing the parsed message's fields.
// A record of the right number but another wire type would be parsed into
// unknown fields and stored as they are: refused too.
bool OnlyFieldOnWire(std::string_view value, const FieldRef& ref) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(value.data()),
      static_cast<int>(value.size()));
  const WireFormatLite::WireType own = WireFormatLite::WireTypeForFieldType(
      static_cast<WireFormatLite::FieldType>(ref.field->type()));
  while (uint32_t tag = in.ReadTag()) {
    const WireFormatLite::WireType wire = WireFormatLite::GetTagWireType(tag);
    const bool packed = ref.field->is_packable() &&
                        wire == WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
    if (WireFormatLite::GetTagFieldNumber(tag) != ref.field->number() ||
        (wire != own && !packed) || !WireFormatLite::SkipField(&in, tag)) {
      return false;
    }
  }
  return in.ConsumedEntireMessage();
}

// True if `partial`, parsed from `value`, sets exactly what `ref` names.
bool SetsOnly(std::string_view value, const Message& partial,
              const FieldRef& ref) {
  if (!OnlyFieldOnWire(value, ref)) return false;
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
  CopyField(body, *partial, ref.field);
  return DeterministicBytes(*partial);
}

namespace {

// The error for a value that is not `ref`'s alone, or not of its type.
absl::Status NotTheFieldsValue(const Message& body, const FieldRef& ref) {
  return InvalidFieldError(
      "value", absl::StrCat("the value for \"", ref.field->name(),
                            ref.map_entry ? "/" + ref.key : "",
                            "\" does not parse as a ",
                            body.GetDescriptor()->name(), " with only that ",
                            ref.map_entry ? "map entry" : "field", " set"));
}

// A singular field of a scalar type (a string, a number, an enum): its value
// is checked on the wire and parsed straight into the body when applied,
// instead of into a message of its own first, which would be built, merged
// and freed for every set of every mutation.
bool TakesWireValue(const FieldRef& ref) {
  return !ref.map_entry && !ref.field->is_repeated() &&
         ref.field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE;
}

// True if `value` is records of `ref`'s field only, each of the field's wire
// type, and a string's bytes are UTF-8: what parsing it would accept.
bool IsWireValueOf(std::string_view value, const FieldRef& ref) {
  const auto type = static_cast<WireFormatLite::FieldType>(ref.field->type());
  const uint32_t expected = WireFormatLite::MakeTag(
      ref.field->number(), WireFormatLite::WireTypeForFieldType(type));
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(value.data()),
      static_cast<int>(value.size()));
  while (uint32_t tag = in.ReadTag()) {
    if (tag != expected) return false;
    if (type != WireFormatLite::TYPE_STRING) {
      if (!WireFormatLite::SkipField(&in, tag)) return false;
      continue;
    }
    // The bytes are all in memory: check them where they are.
    uint32_t size = 0;
    const void* bytes = nullptr;
    int available = 0;
    if (!in.ReadVarint32(&size)) return false;
    if (size == 0) continue;  // "": nothing to check, nothing after it read
    if (!in.GetDirectBufferPointer(&bytes, &available) ||
        static_cast<uint32_t>(available) < size ||
        !WireFormatLite::VerifyUtf8String(
            static_cast<const char*>(bytes), static_cast<int>(size),
            WireFormatLite::PARSE, ref.field->full_name().c_str()) ||
        !in.Skip(static_cast<int>(size))) {
      return false;
    }
  }
  return in.ConsumedEntireMessage();
}

// Sets `ref`'s field in `body` from `value`, which IsWireValueOf accepted.
// A string is set from its bytes as they are: they were checked, and a
// parse would check their UTF-8 again on the single writer's thread.
void SetWireValue(Message& body, const FieldRef& ref, std::string_view value) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(value.data()),
      static_cast<int>(value.size()));
  const FieldDescriptor::Type type = ref.field->type();
  if (type != FieldDescriptor::TYPE_STRING &&
      type != FieldDescriptor::TYPE_BYTES) {
    body.MergePartialFromCodedStream(&in);
    return;
  }
  // Of several records the last one counts, as in a parse.
  std::string bytes;
  uint32_t size = 0;
  while (in.ReadTag() != 0 && in.ReadVarint32(&size) &&
         in.ReadString(&bytes, static_cast<int>(size))) {
  }
  body.GetReflection()->SetString(&body, ref.field, std::move(bytes));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Message>> ParseValue(const Message& body,
                                                    const FieldRef& ref,
                                                    std::string_view value) {
  if (value.empty()) return nullptr;
  if (TakesWireValue(ref)) {
    if (!IsWireValueOf(value, ref)) return NotTheFieldsValue(body, ref);
    return nullptr;
  }
  std::unique_ptr<Message> partial(body.New());
  if (!partial->ParseFromArray(value.data(), static_cast<int>(value.size())) ||
      !SetsOnly(value, *partial, ref)) {
    return NotTheFieldsValue(body, ref);
  }
  return partial;
}

void ApplyParsed(Message& body, const FieldRef& ref, std::string_view value,
                 const Message* parsed) {
  ClearValue(body, ref);
  if (parsed != nullptr) {
    body.MergeFrom(*parsed);
  } else if (!value.empty()) {
    SetWireValue(body, ref, value);
  }
}

absl::Status ApplyValue(Message& body, const FieldRef& ref,
                        std::string_view value) {
  absl::StatusOr<std::unique_ptr<Message>> parsed =
      ParseValue(body, ref, value);
  if (!parsed.ok()) return parsed.status();
  ApplyParsed(body, ref, value, parsed->get());
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

v1::FieldSet FieldSetOf(const google::protobuf::Message& body,
                        std::string_view path) {
  v1::FieldSet set;
  set.set_path(std::string(path));
  absl::StatusOr<FieldRef> ref = ResolvePath(body.GetDescriptor(), path);
  if (ref.ok()) set.set_value(ExtractValue(body, *ref));
  return set;
}

}  // namespace fieldsync
