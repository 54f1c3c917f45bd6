#include "server/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "sync/deterministic.h"
#include "sync/field_error.h"

namespace fieldsync::server {
namespace {

// Tokens are short; a long value is someone else's string.
constexpr size_t kMaxTokenLength = 512;

std::string Quote(std::string_view text) {
  constexpr size_t kShown = 40;
  std::string shown(text.substr(0, kShown));
  if (text.size() > kShown) shown += "…";
  return absl::StrCat("\"", absl::CHexEscape(shown), "\"");
}

}  // namespace

uint64_t FilterFingerprint(const google::protobuf::Message& request) {
  const std::string bytes = DeterministicBytes(request);
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    hash = (hash ^ c) * 1099511628211ull;
  }
  return hash;
}

std::string EncodePageToken(const v1::PageToken& token) {
  return absl::WebSafeBase64Escape(token.SerializeAsString());
}

absl::StatusOr<v1::PageToken> DecodePageToken(std::string_view text,
                                              uint64_t fingerprint) {
  std::string bytes;
  v1::PageToken token;
  if (text.size() > kMaxTokenLength ||
      !absl::WebSafeBase64Unescape(absl::string_view(text.data(), text.size()),
                                   &bytes) ||
      !token.ParseFromString(bytes) || token.after_id().empty()) {
    return InvalidFieldError(
        "page_token",
        absl::StrCat(Quote(text),
                     " is not a page token this server issued; pass "
                     "next_page_token back unchanged"));
  }
  if (token.filter_fingerprint() != fingerprint) {
    return InvalidFieldError(
        "page_token",
        absl::StrCat(Quote(text),
                     " was issued for other filters; repeat the first "
                     "request's filters or start without a token"));
  }
  return token;
}

absl::StatusOr<int> PageSizeOf(int32_t requested, int default_size,
                               int max_size) {
  if (requested < 0 || requested > max_size) {
    return InvalidFieldError(
        "page_size",
        absl::StrCat(requested, " is outside the allowed range 0..", max_size,
                     " (0: ", default_size, ")"));
  }
  return requested == 0 ? default_size : requested;
}

std::string NextPageToken(const PageStart& start, std::string last) {
  v1::PageToken token;
  token.set_after_id(std::move(last));
  token.set_filter_fingerprint(start.fingerprint);
  return EncodePageToken(token);
}

}  // namespace fieldsync::server
