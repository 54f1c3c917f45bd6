#include "sync/cursor.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "sync/field_error.h"
#include "sync/keys.h"

namespace fieldsync {

std::string EncodeCursor(uint64_t sequence) { return SequenceKey(sequence); }

absl::StatusOr<uint64_t> DecodeCursor(std::string_view cursor) {
  if (cursor.empty()) return 0;
  if (cursor.size() != 8) {
    return InvalidFieldError(
        "cursor",
        absl::StrCat("\"", absl::CHexEscape(std::string(cursor.substr(0, 16))),
                     "\" is not a cursor this server issued"));
  }
  return *ReadBigEndian64(cursor);
}

}  // namespace fieldsync
