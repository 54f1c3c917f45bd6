#include "client-sdk/cli/table.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "client-sdk/cli/display_width.h"

namespace fieldsync::cli {
namespace {

constexpr std::string_view kGap = "  ";
// The last column keeps at least this many columns when the table is cut.
constexpr int kMinLastColumn = 20;

}  // namespace

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (std::string& cell : cells) cell = OneLine(cell);
  rows_.push_back(std::move(cells));
}

std::string Table::Render(int max_width) const {
  std::vector<int> widths(headers_.size(), 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(cells[i]));
    }
  };
  measure(headers_);
  for (const auto& row : rows_) measure(row);

  int last_width = 0;  // 0: do not cut
  if (max_width > 0 && !widths.empty()) {
    int before_last = 0;
    for (size_t i = 0; i + 1 < widths.size(); ++i) {
      before_last += widths[i] + static_cast<int>(kGap.size());
    }
    last_width = std::max(kMinLastColumn, max_width - before_last);
  }

  std::string out;
  auto render_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i + 1 == cells.size()) {
        line += TruncateToWidth(cells[i], last_width);
      } else {
        line += PadToWidth(cells[i], widths[i]);
        line += kGap;
      }
    }
    out += line;
    out += '\n';
  };
  render_row(headers_);
  for (const auto& row : rows_) render_row(row);
  return out;
}

int TerminalWidth() {
  int columns = 0;
  if (const char* env = std::getenv("COLUMNS");
      env != nullptr && absl::SimpleAtoi(env, &columns) && columns > 0) {
    return columns;
  }
  if (!isatty(STDOUT_FILENO)) return 0;
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 0;
}

}  // namespace fieldsync::cli
