#include "client-sdk/value_text.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "sync/doc_kind.h"
#include "sync/field_path.h"
#include "sync/status_macros.h"

namespace fieldsync::client {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string IndicatorText(const v1::Indicator& indicator) {
  if (!indicator.value_text().empty()) return indicator.value_text();
  std::string text = absl::StrCat(indicator.value());
  if (!indicator.unit().empty()) absl::StrAppend(&text, " ", indicator.unit());
  return text;
}

std::string MessageText(const Message& message) {
  if (const auto* indicator = dynamic_cast<const v1::Indicator*>(&message)) {
    return IndicatorText(*indicator);
  }
  std::string text;
  google::protobuf::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  printer.SetUseUtf8StringEscaping(true);
  printer.PrintToString(message, &text);
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// The text of a singular field of `message`.
std::string SingularText(const Message& message, const FieldDescriptor* f) {
  const Reflection* r = message.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return r->GetString(message, f);
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(r->GetInt32(message, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(r->GetInt64(message, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(r->GetUInt32(message, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(r->GetUInt64(message, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(r->GetDouble(message, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(r->GetFloat(message, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return r->GetBool(message, f) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return r->GetEnum(message, f)->name();
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return MessageText(r->GetMessage(message, f));
  }
  return "";
}

// One element of a repeated field.
std::string RepeatedText(const Message& message, const FieldDescriptor* f,
                         int index) {
  const Reflection* r = message.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return MessageText(r->GetRepeatedMessage(message, f, index));
    case FieldDescriptor::CPPTYPE_STRING:
      return r->GetRepeatedString(message, f, index);
    default: {
      std::string text;
      google::protobuf::TextFormat::PrintFieldValueToString(message, f, index,
                                                            &text);
      return text;
    }
  }
}

std::string RefText(const Message& body, const FieldRef& ref) {
  const Reflection* r = body.GetReflection();
  if (!ref.map_entry) {
    if (ref.field->is_repeated()) {
      std::string text;
      for (int i = 0; i < r->FieldSize(body, ref.field); ++i) {
        absl::StrAppend(&text, i == 0 ? "" : "; ",
                        RepeatedText(body, ref.field, i));
      }
      return text;
    }
    if (ref.field->has_presence() && !r->HasField(body, ref.field)) return "";
    return SingularText(body, ref.field);
  }
  const FieldDescriptor* key_field = ref.field->message_type()->map_key();
  const FieldDescriptor* value_field = ref.field->message_type()->map_value();
  for (int i = 0; i < r->FieldSize(body, ref.field); ++i) {
    const Message& entry = r->GetRepeatedMessage(body, ref.field, i);
    if (entry.GetReflection()->GetString(entry, key_field) == ref.key) {
      return SingularText(entry, value_field);
    }
  }
  return "";
}

}  // namespace

std::string DocumentValueText(const v1::Document& doc, std::string_view path) {
  const Message* body = Body(doc);
  if (body == nullptr) return "";
  absl::StatusOr<FieldRef> ref = ResolvePath(body->GetDescriptor(), path);
  if (!ref.ok()) return "";
  return RefText(*body, *ref);
}

absl::StatusOr<std::string> FieldSetValueText(std::string_view key,
                                              std::string_view path,
                                              std::string_view value) {
  FS_ASSIGN_OR_RETURN(ParsedKey parsed, ParseDocKey(key));
  v1::Document scratch;
  Message* body = MutableBody(scratch, parsed.kind);
  FS_ASSIGN_OR_RETURN(FieldRef ref, ResolvePath(body->GetDescriptor(), path));
  FS_RETURN_IF_ERROR(ApplyValue(*body, ref, value));
  return RefText(*body, ref);
}

}  // namespace fieldsync::client
