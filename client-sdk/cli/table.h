// A plain text table whose columns align by display width, so Vietnamese
// text lines up. The last column may be cut to fit the terminal.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_TABLE_H_
#define FIELDSYNC_CLIENT_SDK_CLI_TABLE_H_

#include <string>
#include <vector>

namespace fieldsync::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers)
      : headers_(std::move(headers)) {}

  // A row with one cell per header; cells are made one-line.
  void AddRow(std::vector<std::string> cells);

  // The table, one line per row after the header line. With
  // `max_width` > 0, the last column is cut so no line is wider.
  std::string Render(int max_width = 0) const;

  size_t row_count() const { return rows_.size(); }

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// The width of the terminal on stdout, or 0 when stdout is not a terminal
// (then nothing is cut). COLUMNS overrides.
int TerminalWidth();

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_TABLE_H_
