// The C API's one edge for errors (STYLE.md 6): an absl::Status, or an
// exception that must not cross into C, becomes an fs_error; results become
// malloc'ed C strings. Every entry point runs its body through Guard.
#ifndef FIELDSYNC_CLIENT_SDK_C_API_C_ERROR_H_
#define FIELDSYNC_CLIENT_SDK_C_API_C_ERROR_H_

#include <new>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fieldsync/fieldsync.h"

namespace fieldsync::capi {

// Stores an error for `status` in `*err` (when `err` is not null); a
// preallocated "out of memory" error if even that cannot be allocated.
void SetError(fs_error** err, const absl::Status& status) noexcept;

// Stores the preallocated "out of memory" error; allocates nothing.
void SetOutOfMemory(fs_error** err) noexcept;

// A malloc'ed copy of `text` for fs_free_string; null if out of memory.
char* CopyToC(std::string_view text) noexcept;

// InvalidArgument naming `argument` if `value` is null.
absl::Status Required(const void* value, std::string_view argument);

// InvalidArgument naming "key" unless `key` is a document key
// ("report/<id>"). Checked before any message quotes it, since a key that is
// not UTF-8 cannot travel in an error's details.
absl::Status RequiredKey(const char* key);

// Runs `body` (returning absl::Status) and reports a failure in `*err`.
// Nothing escapes: the SDK returns statuses, but allocation may still throw.
template <typename Body>
bool Guard(fs_error** err, Body&& body) noexcept {
  try {
    absl::Status status = body();
    if (status.ok()) return true;
    SetError(err, status);
  } catch (const std::bad_alloc&) {
    SetOutOfMemory(err);
  } catch (...) {
    SetError(err, absl::InternalError("unexpected C++ exception"));
  }
  return false;
}

// Runs `body` (returning absl::StatusOr<std::string>) and returns its text
// as a C string, or null with `*err` set.
template <typename Body>
char* GuardString(fs_error** err, Body&& body) noexcept {
  char* out = nullptr;
  Guard(err, [&]() -> absl::Status {
    absl::StatusOr<std::string> text = body();
    if (!text.ok()) return text.status();
    out = CopyToC(*text);
    if (out == nullptr) throw std::bad_alloc();
    return absl::OkStatus();
  });
  return out;
}

}  // namespace fieldsync::capi

#endif  // FIELDSYNC_CLIENT_SDK_C_API_C_ERROR_H_
