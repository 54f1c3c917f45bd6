#include "client-sdk/c_api/c_error.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "sync/doc_kind.h"
#include "sync/field_error.h"
#include "sync/text_fold.h"

namespace fieldsync::capi {
namespace {

// fs_code is absl::StatusCode's numbering, so a code converts by a cast.
static_assert(FS_OK == static_cast<int>(absl::StatusCode::kOk));
static_assert(FS_INVALID_ARGUMENT ==
              static_cast<int>(absl::StatusCode::kInvalidArgument));
static_assert(FS_FAILED_PRECONDITION ==
              static_cast<int>(absl::StatusCode::kFailedPrecondition));
static_assert(FS_UNAVAILABLE ==
              static_cast<int>(absl::StatusCode::kUnavailable));
static_assert(FS_UNAUTHENTICATED ==
              static_cast<int>(absl::StatusCode::kUnauthenticated));

// Handed out when there is no memory for a real error; never freed.
fs_error kOutOfMemory = {FS_RESOURCE_EXHAUSTED, "out of memory", ""};

// The length of the UTF-8 sequence `lead` starts, or 0 if it starts none.
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// `text` with each invalid byte replaced by U+FFFD: messages may quote
// input (a bad key, a path) that was not UTF-8, and the C API promises
// UTF-8 out.
std::string ValidUtf8(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const size_t n = SequenceLength(static_cast<unsigned char>(text[i]));
    if (n > 0 && i + n <= text.size() && IsValidUtf8(text.substr(i, n))) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

// One allocation holds the struct and both strings, so fs_error_free is a
// single free() and a half-built error cannot leak.
fs_error* NewError(fs_code code, std::string_view message,
                   std::string_view field) noexcept {
  const size_t size = sizeof(fs_error) + message.size() + field.size() + 2;
  auto* e = static_cast<fs_error*>(std::malloc(size));
  if (e == nullptr) return nullptr;
  char* text = reinterpret_cast<char*>(e + 1);
  std::memcpy(text, message.data(), message.size());
  text[message.size()] = '\0';
  char* name = text + message.size() + 1;
  std::memcpy(name, field.data(), field.size());
  name[field.size()] = '\0';
  e->code = static_cast<fs_code>(code);
  e->message = text;
  e->field = name;
  return e;
}

}  // namespace

void SetOutOfMemory(fs_error** err) noexcept {
  if (err != nullptr) *err = &kOutOfMemory;
}

void SetError(fs_error** err, const absl::Status& status) noexcept {
  if (err == nullptr) return;
  try {
    std::vector<v1::FieldViolation> violations = FieldViolations(status);
    const std::string field =
        violations.empty() ? "" : ValidUtf8(violations[0].field());
    const std::string message = ValidUtf8(std::string(status.message()));
    fs_error* e = NewError(static_cast<fs_code>(status.code()), message, field);
    if (e == nullptr) {
      SetOutOfMemory(err);
    } else {
      *err = e;
    }
  } catch (...) {  // std::bad_alloc from the copies above
    SetOutOfMemory(err);
  }
}

char* CopyToC(std::string_view text) noexcept {
  auto* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out == nullptr) return nullptr;
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return out;
}

absl::Status Required(const void* value, std::string_view argument) {
  if (value != nullptr) return absl::OkStatus();
  return InvalidFieldError(argument, "is NULL");
}

absl::Status RequiredKey(const char* key) {
  if (key == nullptr) return InvalidFieldError("key", "is NULL");
  if (!IsValidUtf8(key)) return InvalidFieldError("key", "is not valid UTF-8");
  return ParseDocKey(key).status();
}

}  // namespace fieldsync::capi

extern "C" void fs_error_free(fs_error* err) noexcept {
  if (err != &fieldsync::capi::kOutOfMemory) std::free(err);
}

extern "C" void fs_free_string(char* text) noexcept { std::free(text); }
