#include "sync/keys.h"

#include "absl/strings/str_cat.h"

namespace fieldsync {

std::string DocKey(std::string_view kind, std::string_view id) {
  return absl::StrCat(absl::string_view(kind.data(), kind.size()), "/",
                      absl::string_view(id.data(), id.size()));
}

std::string DocKeyPrefix(std::string_view kind) { return DocKey(kind, ""); }

void AppendBigEndian64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

std::optional<uint64_t> ReadBigEndian64(std::string_view in) {
  if (in.size() < 8) return std::nullopt;
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<uint8_t>(in[i]);
  }
  return value;
}

}  // namespace fieldsync
