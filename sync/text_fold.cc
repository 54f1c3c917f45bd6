#include "sync/text_fold.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "absl/strings/str_cat.h"

namespace fieldsync {
namespace {

// utf8proc allocates with malloc; this frees its result.
struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

absl::StatusOr<std::string> MapUtf8(std::string_view text, int options) {
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &out,
                   static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(out);
  if (n < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("text is not valid UTF-8: ", utf8proc_errmsg(n)));
  }
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<size_t>(n));
}

bool IsWordCodepoint(utf8proc_int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

void AppendCodepoint(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

}  // namespace

absl::StatusOr<std::string> NormalizeNfc(std::string_view text) {
  return MapUtf8(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return false;
    p += n;
    left -= n;
  }
  return true;
}

std::string ToValidUtf8(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {
      out.append("\xEF\xBF\xBD");
      n = 1;
    } else {
      out.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    }
    p += n;
    left -= n;
  }
  return out;
}

std::string FoldForSearch(std::string_view text, FoldMode mode) {
  int options = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
  if (mode == FoldMode::kIgnoreDiacritics) options |= UTF8PROC_STRIPMARK;
  absl::StatusOr<std::string> mapped = MapUtf8(text, options);
  if (!mapped.ok()) return " ";

  std::string out = " ";
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(mapped->data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(mapped->size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    p += n;
    left -= n;
    if (!IsWordCodepoint(cp)) {
      if (out.back() != ' ') out.push_back(' ');
      continue;
    }
    // đ (U+0111) has no decomposition, so stripping marks leaves it alone;
    // Vietnamese readers still type it as "d".
    if (mode == FoldMode::kIgnoreDiacritics && cp == 0x0111) cp = 'd';
    AppendCodepoint(out, cp);
  }
  if (out.back() != ' ') out.push_back(' ');
  return out;
}

bool FoldedContains(std::string_view folded_haystack,
                    std::string_view folded_query) {
  // Drop the query's trailing space so "tan ph" matches the start of "phu".
  std::string_view needle = folded_query;
  if (!needle.empty() && needle.back() == ' ') needle.remove_suffix(1);
  if (needle.empty()) return true;
  return folded_haystack.find(needle) != std::string_view::npos;
}

}  // namespace fieldsync
