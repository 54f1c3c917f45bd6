// `fieldsync admin export appendix`: the province report's appendix tables
// from the server's live catalogue and the year's reports, written as CSV
// (appendix_csv.h) or HTML (appendix_html.h).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>

#include "absl/strings/numbers.h"
#include "client-sdk/cli/appendix_csv.h"
#include "client-sdk/cli/appendix_html.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/monitoring_client.h"

namespace fieldsync::cli {
namespace {

// Why `path` cannot be written, or "" when it can: the folder must exist
// and be writable, and the path must not be a folder.
std::string UnwritableReason(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (fs::is_directory(path, error)) return std::strerror(EISDIR);
  fs::path folder = fs::path(path).parent_path();
  if (folder.empty()) folder = ".";
  if (!fs::is_directory(folder, error)) return std::strerror(ENOENT);
  if (::access(path.c_str(), F_OK) == 0) {
    return ::access(path.c_str(), W_OK) == 0 ? "" : std::strerror(errno);
  }
  return ::access(folder.c_str(), W_OK) == 0 ? "" : std::strerror(errno);
}

// Writes `content` to `path`; on a failure removes what was started.
std::string WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return std::strerror(errno);
  out << content;
  out.close();
  if (!out) {
    const std::string reason = std::strerror(errno);
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    return reason;
  }
  return "";
}

}  // namespace

int RunExportAppendix(const CliContext& ctx,
                      const ExportAppendixOptions& options) {
  const Language lang = ctx.language;
  int year = 0;
  if (!absl::SimpleAtoi(options.year, &year)) {
    return ReportUsageError(
        ctx, Format(Msg::kErrBadYear, lang, "--year", options.year));
  }
  if (options.format != "csv" && options.format != "html") {
    return ReportUsageError(ctx, Format(Msg::kErrBadChoice, lang, "--format",
                                        options.format, "csv, html"));
  }
  if (std::string reason = UnwritableReason(options.out); !reason.empty()) {
    return ReportUsageError(
        ctx, Format(Msg::kErrCannotWrite, lang, "--out", options.out, reason));
  }
  v1::ExportAppendixRequest request;
  request.set_year(year);
  request.set_area_id(options.area);
  client::MonitoringClient client(ctx.server, SecretOf(ctx),
                                  std::chrono::seconds(60), ctx.tls);
  absl::StatusOr<v1::ExportAppendixResponse> appendix =
      client.ExportAllAppendix(request);
  if (!appendix.ok()) return ReportError(ctx, appendix.status());

  const std::string content = options.format == "csv" ? AppendixCsv(*appendix)
                                                      : AppendixHtml(*appendix);
  if (std::string reason = WriteFile(options.out, content); !reason.empty()) {
    return ReportUsageError(
        ctx, Format(Msg::kErrCannotWrite, lang, "--out", options.out, reason));
  }
  if (ctx.json) return PrintJson(ctx, *appendix);
  std::set<std::string> models;
  for (const v1::AppendixRow& row : appendix->rows()) {
    models.insert(row.model_id());
  }
  *ctx.out << Format(Msg::kAppendixWritten, lang, appendix->tables_size(),
                     appendix->rows_size(), models.size(),
                     appendix->area_name(), appendix->year(), options.out)
           << "\n";
  return 0;
}

}  // namespace fieldsync::cli
