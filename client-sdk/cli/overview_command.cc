// `fieldsync overview`: the catalogue's headline figures, as the province's
// report gives them, from the live catalogue.
#include <cmath>
#include <ostream>

#include "absl/strings/str_format.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/labels.h"
#include "client-sdk/cli/table.h"
#include "client-sdk/monitoring_client.h"

namespace fieldsync::cli {
namespace {

// "12,5%" in Vietnamese, "12.5%" in English.
std::string Share(double share, Language lang) {
  std::string text = absl::StrFormat("%.1f%%", share * 100);
  if (lang == Language::kVietnamese) {
    for (char& c : text) {
      if (c == '.') c = ',';
    }
  }
  return text;
}

void PrintLines(
    const CliContext& ctx, Msg first_column,
    const google::protobuf::RepeatedPtrField<v1::OverviewCount>& lines) {
  const Language lang = ctx.language;
  Table table({std::string(Text(first_column, lang)),
               std::string(Text(Msg::kColModels, lang)),
               std::string(Text(Msg::kColShare, lang)),
               std::string(Text(Msg::kColName, lang))});
  for (const v1::OverviewCount& line : lines) {
    table.AddRow({line.id(), absl::StrFormat("%d", line.models()),
                  Share(line.share(), lang), line.name()});
  }
  *ctx.out << table.Render(TerminalWidth()) << "\n";
}

}  // namespace

int RunOverview(const CliContext& ctx, const std::string& as_of) {
  const Language lang = ctx.language;
  client::MonitoringClient client(ctx.server, SecretOf(ctx),
                                  std::chrono::seconds(30), ctx.tls);
  v1::GetOverviewRequest request;
  request.set_as_of(as_of);
  absl::StatusOr<v1::GetOverviewResponse> overview =
      client.GetOverview(request);
  if (!overview.ok()) return ReportError(ctx, overview.status());
  if (ctx.json) return PrintJson(ctx, *overview);

  *ctx.out << Format(Msg::kOverviewHeader, lang, overview->as_of(),
                     overview->province_models() + overview->district_models())
           << "\n\n"
           << Format(Msg::kOverviewProvince, lang, overview->province_models())
           << "\n";
  PrintLines(ctx, Msg::kColSector, overview->province_by_sector());
  *ctx.out << Format(Msg::kOverviewDistrict, lang, overview->district_models())
           << "\n";
  PrintLines(ctx, Msg::kColArea, overview->district_by_area());
  *ctx.out << Text(Msg::kOverviewStatus, lang) << "\n";
  // Statuses by their label in the reader's language.
  google::protobuf::RepeatedPtrField<v1::OverviewCount> statuses =
      overview->by_status();
  for (v1::OverviewCount& line : statuses) {
    std::optional<v1::ModelStatus> status = ParseStatus(line.id());
    line.set_name(std::string(
        StatusLabel(status.value_or(v1::MODEL_STATUS_UNSPECIFIED), lang)));
  }
  PrintLines(ctx, Msg::kColStatus, statuses);
  return 0;
}

}  // namespace fieldsync::cli
