#include "client-sdk/cli/display_width.h"

#include <utf8proc.h>

namespace fieldsync::cli {
namespace {

constexpr std::string_view kEllipsis = "…";

// Calls visit(bytes, columns) for each character of `text`.
template <typename Visit>
void ForEachChar(std::string_view text, Visit visit) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    int columns = 1;
    if (n <= 0) {
      n = 1;  // an invalid byte: show it as one column and go on
    } else {
      columns = utf8proc_charwidth(cp);
      if (columns < 0) columns = 0;
    }
    if (!visit(std::string_view(reinterpret_cast<const char*>(p),
                                static_cast<size_t>(n)),
               columns)) {
      return;
    }
    p += n;
    left -= n;
  }
}

}  // namespace

int DisplayWidth(std::string_view text) {
  int width = 0;
  ForEachChar(text, [&](std::string_view, int columns) {
    width += columns;
    return true;
  });
  return width;
}

std::string TruncateToWidth(std::string_view text, int width) {
  if (width <= 0 || DisplayWidth(text) <= width) return std::string(text);
  std::string out;
  int used = 0;
  ForEachChar(text, [&](std::string_view bytes, int columns) {
    // Keep a column for the ellipsis; combining marks ride with their base.
    if (columns > 0 && used + columns > width - 1) return false;
    out.append(bytes);
    used += columns;
    return true;
  });
  out.append(kEllipsis);
  return out;
}

std::string PadToWidth(std::string_view text, int width) {
  std::string out(text);
  int missing = width - DisplayWidth(text);
  if (missing > 0) out.append(static_cast<size_t>(missing), ' ');
  return out;
}

std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const bool space = c == '\n' || c == '\r' || c == '\t';
    if (space && !out.empty() && out.back() == ' ') continue;
    out.push_back(space ? ' ' : c);
  }
  return out;
}

}  // namespace fieldsync::cli
