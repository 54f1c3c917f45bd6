#include "client-sdk/field_text.h"

#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sync/doc_kind.h"
#include "sync/field_error.h"
#include "sync/field_path.h"
#include "sync/status_macros.h"
#include "sync/text_fold.h"

namespace fieldsync::client {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status NotA(std::string_view path, std::string_view text,
                  std::string_view what) {
  return InvalidFieldError(
      path,
      absl::StrCat("\"", absl::string_view(text.data(), text.size()),
                   "\" is not ", absl::string_view(what.data(), what.size())));
}

// A plain decimal number. Digit grouping is refused rather than guessed:
// "1.629" is 1629 to a Vietnamese reader and 1.629 to a keypad.
std::optional<double> ParseDecimal(std::string_view text) {
  std::string s(
      absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
  if (s.find(',') != std::string::npos) {
    if (s.find('.') != std::string::npos) return std::nullopt;
    s[s.find(',')] = '.';
  }
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  int digits = 0, marks = 0;
  for (; i < s.size(); ++i) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) {
      ++digits;
    } else if (s[i] == '.' && ++marks == 1) {
      continue;
    } else {
      return std::nullopt;
    }
  }
  double value = 0;
  if (digits == 0 || !absl::SimpleAtod(s, &value)) return std::nullopt;
  return value;
}

// The enum value `text` names, with or without the enum's prefix: buf's
// rules give every enum an <PREFIX>_UNSPECIFIED zero value.
const EnumValueDescriptor* FindEnumValue(const EnumDescriptor* type,
                                         std::string_view text) {
  std::string name = absl::AsciiStrToUpper(
      absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
  for (char& c : name) {
    if (c == '-' || c == ' ') c = '_';
  }
  if (const EnumValueDescriptor* v = type->FindValueByName(name)) return v;
  std::string prefix = type->value(0)->name();
  const size_t cut = prefix.rfind("UNSPECIFIED");
  if (cut == std::string::npos) return nullptr;
  prefix.resize(cut);
  return type->FindValueByName(prefix + name);
}

// "one of draft, submitted, …": the names a person would type.
std::string EnumChoices(const EnumDescriptor* type) {
  const std::string& unspecified = type->value(0)->name();
  const size_t prefix = unspecified.rfind("UNSPECIFIED");
  std::vector<std::string> names;
  for (int i = 1; i < type->value_count(); ++i) {
    const std::string& name = type->value(i)->name();
    names.push_back(absl::AsciiStrToLower(
        prefix != std::string::npos &&
                name.starts_with(unspecified.substr(0, prefix))
            ? name.substr(prefix)
            : name));
  }
  return absl::StrCat("one of ", absl::StrJoin(names, ", "));
}

template <typename Int>
std::optional<Int> ParseInt(std::string_view text) {
  Int value = 0;
  if (!absl::SimpleAtoi(absl::string_view(text.data(), text.size()), &value)) {
    return std::nullopt;
  }
  return value;
}

// Sets the singular scalar field `f` of `message` from `text`.
absl::Status SetScalar(Message& message, const FieldDescriptor* f,
                       std::string_view path, std::string_view text) {
  const Reflection* r = message.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      r->SetString(&message, f, std::string(text));
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32:
      if (auto v = ParseInt<int32_t>(text)) {
        r->SetInt32(&message, f, *v);
        return absl::OkStatus();
      }
      return NotA(path, text, "a whole number");
    case FieldDescriptor::CPPTYPE_INT64:
      if (auto v = ParseInt<int64_t>(text)) {
        r->SetInt64(&message, f, *v);
        return absl::OkStatus();
      }
      return NotA(path, text, "a whole number");
    case FieldDescriptor::CPPTYPE_UINT32:
      if (auto v = ParseInt<uint32_t>(text)) {
        r->SetUInt32(&message, f, *v);
        return absl::OkStatus();
      }
      return NotA(path, text, "a whole number of 0 or more");
    case FieldDescriptor::CPPTYPE_UINT64:
      if (auto v = ParseInt<uint64_t>(text)) {
        r->SetUInt64(&message, f, *v);
        return absl::OkStatus();
      }
      return NotA(path, text, "a whole number of 0 or more");
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      if (auto v = ParseDecimal(text)) {
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
          r->SetDouble(&message, f, *v);
        } else {
          r->SetFloat(&message, f, static_cast<float>(*v));
        }
        return absl::OkStatus();
      }
      return NotA(path, text, "a number");
    case FieldDescriptor::CPPTYPE_BOOL: {
      const std::string word = absl::AsciiStrToLower(absl::StripAsciiWhitespace(
          absl::string_view(text.data(), text.size())));
      if (word != "true" && word != "false") {
        return NotA(path, text, "true or false");
      }
      r->SetBool(&message, f, word == "true");
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM:
      if (const EnumValueDescriptor* v = FindEnumValue(f->enum_type(), text)) {
        r->SetEnum(&message, f, v);
        return absl::OkStatus();
      }
      return NotA(path, text, EnumChoices(f->enum_type()));
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return InvalidFieldError(path, "takes no text value");
}

// The indicator `code` of `current`'s report, if it has one.
const v1::Indicator* CurrentIndicator(const v1::Document* current,
                                      const std::string& code) {
  if (current == nullptr || !current->has_report()) return nullptr;
  auto it = current->report().indicators().find(code);
  return it == current->report().indicators().end() ? nullptr : &it->second;
}

// Adds the map entry `ref` to `body` with its value parsed from `text`.
absl::Status SetMapEntry(Message& body, const FieldRef& ref,
                         std::string_view path, std::string_view text,
                         const v1::Document* current) {
  Message* entry = body.GetReflection()->AddMessage(&body, ref.field);
  const Reflection* r = entry->GetReflection();
  const google::protobuf::Descriptor* type = ref.field->message_type();
  r->SetString(entry, type->map_key(), ref.key);
  const FieldDescriptor* value = type->map_value();
  if (value->message_type() != v1::Indicator::descriptor()) {
    return SetScalar(*entry, value, path, text);
  }
  const std::optional<double> number = ParseDecimal(text);
  if (!number) return NotA(path, text, "a number");
  v1::Indicator indicator;
  if (const v1::Indicator* old = CurrentIndicator(current, ref.key)) {
    indicator.set_unit(old->unit());
    indicator.set_label_vi(old->label_vi());
  }
  indicator.set_value(*number);
  r->MutableMessage(entry, value)->CopyFrom(indicator);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::FieldSet> FieldSetFromText(std::string_view key,
                                              std::string_view path,
                                              std::string_view text,
                                              const v1::Document* current) {
  if (!IsValidUtf8(path))
    return InvalidFieldError("path", "is not valid UTF-8");
  if (!IsValidUtf8(text)) return InvalidFieldError(path, "is not valid UTF-8");
  FS_ASSIGN_OR_RETURN(ParsedKey parsed, ParseDocKey(key));
  v1::Document scratch;
  Message* body = MutableBody(scratch, parsed.kind);
  FS_ASSIGN_OR_RETURN(FieldRef ref, ResolvePath(body->GetDescriptor(), path));
  v1::FieldSet set;
  set.set_path(std::string(path));
  if (text.empty()) return set;  // an empty value clears the field
  if (ref.map_entry) {
    FS_RETURN_IF_ERROR(SetMapEntry(*body, ref, path, text, current));
  } else if (ref.field->is_repeated()) {
    return InvalidFieldError(path, "is a list and takes no text value");
  } else {
    FS_RETURN_IF_ERROR(SetScalar(*body, ref.field, path, text));
  }
  set.set_value(ExtractValue(*body, ref));
  return set;
}

}  // namespace fieldsync::client
