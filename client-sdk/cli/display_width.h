// Terminal display width of UTF-8 text: "Đồng Tháp" is 9 columns though it
// is 13 bytes, and a wide CJK character takes 2. Tables align on this.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_DISPLAY_WIDTH_H_
#define FIELDSYNC_CLIENT_SDK_CLI_DISPLAY_WIDTH_H_

#include <string>
#include <string_view>

namespace fieldsync::cli {

// Columns `text` takes on a terminal. Combining marks take none; invalid
// bytes count one column each.
int DisplayWidth(std::string_view text);

// `text` cut to at most `width` columns, ending in "…" when cut; never
// splits a character. width <= 0 means no limit.
std::string TruncateToWidth(std::string_view text, int width);

// `text` followed by spaces up to `width` columns.
std::string PadToWidth(std::string_view text, int width);

// Newlines and tabs turned into single spaces, for one-line table cells.
std::string OneLine(std::string_view text);

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_DISPLAY_WIDTH_H_
