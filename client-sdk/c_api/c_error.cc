#include "client-sdk/c_api/c_error.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "sync/doc_kind.h"
#include "sync/error_info.h"
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
fs_error kOutOfMemory = {FS_RESOURCE_EXHAUSTED, "out of memory", "", ""};

// One allocation holds the struct and its strings, so fs_error_free is a
// single free() and a half-built error cannot leak.
fs_error* NewError(fs_code code, std::string_view message,
                   std::string_view field, std::string_view reason) noexcept {
  const size_t size =
      sizeof(fs_error) + message.size() + field.size() + reason.size() + 3;
  auto* e = static_cast<fs_error*>(std::malloc(size));
  if (e == nullptr) return nullptr;
  char* next = reinterpret_cast<char*>(e + 1);
  auto copy = [&next](std::string_view text) {
    char* start = next;
    std::memcpy(start, text.data(), text.size());
    start[text.size()] = '\0';
    next += text.size() + 1;
    return start;
  };
  e->code = static_cast<fs_code>(code);
  e->message = copy(message);
  e->field = copy(field);
  e->reason = copy(reason);
  return e;
}

}  // namespace

void SetOutOfMemory(fs_error** err) noexcept {
  if (err != nullptr) *err = &kOutOfMemory;
}

void SetError(fs_error** err, const absl::Status& status) noexcept {
  if (err == nullptr) return;
  try {
    std::vector<FieldViolation> violations = FieldViolations(status);
    const std::string field =
        violations.empty() ? "" : EscapeInvalidUtf8(violations[0].field());
    const std::string message =
        EscapeInvalidUtf8(std::string(status.message()));
    // An attached reason only (the server's, or a shared check's): the
    // SDK's own errors have none.
    std::optional<google::rpc::ErrorInfo> info = AttachedErrorInfo(status);
    const std::string reason = info ? EscapeInvalidUtf8(info->reason()) : "";
    fs_error* e =
        NewError(static_cast<fs_code>(status.code()), message, field, reason);
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
