// `fieldsync areas`, `fieldsync sectors` and `fieldsync health`.
#include <ostream>

#include "absl/container/flat_hash_map.h"
#include "client-sdk/catalogue_client.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/table.h"

namespace fieldsync::cli {
namespace {

// Two spaces per level below the first area shown, so the tree reads as one.
std::string Indented(const v1::Area& area, int depth) {
  return std::string(static_cast<size_t>(depth) * 2, ' ') + area.id();
}

}  // namespace

int RunAreas(const CliContext& ctx, const AreasOptions& options) {
  client::CatalogueClient client(ctx.server, SecretOf(ctx),
                                 std::chrono::seconds(10), ctx.tls);
  v1::ListAreasRequest request;
  request.set_root_id(options.root);
  request.set_as_of(options.as_of);
  absl::StatusOr<v1::ListAreasResponse> response = client.ListAreas(request);
  if (!response.ok()) return ReportError(ctx, response.status());
  if (ctx.json) return PrintJson(ctx, *response);

  const Language lang = ctx.language;
  Table table({std::string(Text(Msg::kColId, lang)),
               std::string(Text(Msg::kColType, lang)),
               std::string(Text(Msg::kColName, lang))});
  // Areas arrive in tree order, so a parent's depth is known before its
  // children's.
  absl::flat_hash_map<std::string, int> depth;
  for (const v1::Area& area : response->areas()) {
    auto parent = depth.find(area.parent_id());
    int d = parent == depth.end() ? 0 : parent->second + 1;
    depth[area.id()] = d;
    table.AddRow({Indented(area, d), area.type_vi(), area.name()});
  }
  *ctx.out << table.Render(TerminalWidth());
  *ctx.out << Format(Msg::kAreasCount, lang, response->areas_size()) << "\n";
  return 0;
}

int RunSectors(const CliContext& ctx) {
  client::CatalogueClient client(ctx.server, SecretOf(ctx),
                                 std::chrono::seconds(10), ctx.tls);
  absl::StatusOr<v1::ListSectorsResponse> response = client.ListSectors();
  if (!response.ok()) return ReportError(ctx, response.status());
  if (ctx.json) return PrintJson(ctx, *response);

  const Language lang = ctx.language;
  Table table({std::string(Text(Msg::kColId, lang)),
               std::string(Text(Msg::kColBlock, lang)),
               std::string(Text(Msg::kColTitle, lang))});
  for (const v1::Sector& s : response->sectors()) {
    table.AddRow(
        {s.slug(), s.block() == v1::BLOCK_KT ? "kt" : "vx", s.title()});
  }
  *ctx.out << table.Render(TerminalWidth());
  *ctx.out << Format(Msg::kSectorsCount, lang, response->sectors_size())
           << "\n";
  return 0;
}

int RunHealth(const CliContext& ctx) {
  client::CatalogueClient client(ctx.server, SecretOf(ctx),
                                 std::chrono::seconds(10), ctx.tls);
  auto status = client.CheckHealth();
  if (!status.ok()) return ReportError(ctx, status.status());
  const bool serving =
      *status == grpc::health::v1::HealthCheckResponse::SERVING;
  if (ctx.json) {
    grpc::health::v1::HealthCheckResponse response;
    response.set_status(*status);
    PrintJson(ctx, response);
    return serving ? 0 : 1;
  }
  if (serving) {
    *ctx.out << Format(Msg::kHealthServing, ctx.language, ctx.server) << "\n";
    return 0;
  }
  *ctx.out << Format(Msg::kHealthNotServing, ctx.language, ctx.server,
                     grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                         *status))
           << "\n";
  return 1;
}

}  // namespace fieldsync::cli
