// `fieldsync models list` and `fieldsync models show`.
#include <ostream>

#include "absl/strings/str_join.h"
#include "client-sdk/catalogue_client.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/display_width.h"
#include "client-sdk/cli/labels.h"
#include "client-sdk/cli/table.h"
#include "sync/text_fold.h"

namespace fieldsync::cli {
namespace {

// Labels of `models show` are padded to this many columns.
constexpr int kLabelWidth = 30;

// Builds the request from the options; a usage error names the option.
absl::Status BuildRequest(const CliContext& ctx,
                          const ModelsListOptions& options,
                          v1::ListModelsRequest& request) {
  if (!options.level.empty()) {
    std::optional<v1::ModelLevel> level = ParseLevel(options.level);
    if (!level) {
      return absl::InvalidArgumentError(Format(Msg::kErrBadChoice, ctx.language,
                                               "--level", options.level,
                                               kLevelChoices));
    }
    request.set_level(*level);
  }
  if (!options.status.empty()) {
    std::optional<v1::ModelStatus> status = ParseStatus(options.status);
    if (!status) {
      return absl::InvalidArgumentError(Format(Msg::kErrBadChoice, ctx.language,
                                               "--status", options.status,
                                               kStatusChoices));
    }
    request.set_status(*status);
  }
  if (!IsValidUtf8(options.search)) {
    return absl::InvalidArgumentError(
        Format(Msg::kErrNotUtf8, ctx.language, "--search"));
  }
  request.set_area_id(options.area);
  request.set_sector_slug(options.sector);
  request.set_search(options.search);
  request.set_match_diacritics(options.match_diacritics);
  return absl::OkStatus();
}

std::string OwnerOf(const v1::Model& m) {
  return m.level() == v1::MODEL_LEVEL_PROVINCE ? m.sector_slug()
                                               : m.owner_area_id();
}

void PrintModelsTable(const CliContext& ctx,
                      const std::vector<v1::Model>& models) {
  const Language lang = ctx.language;
  if (models.empty()) {
    *ctx.out << Text(Msg::kNoModels, lang) << "\n";
    return;
  }
  Table table({std::string(Text(Msg::kColId, lang)),
               std::string(Text(Msg::kColLevel, lang)),
               std::string(Text(Msg::kColStatus, lang)),
               std::string(Text(Msg::kColOwner, lang)),
               std::string(Text(Msg::kColName, lang))});
  for (const v1::Model& m : models) {
    table.AddRow({m.id(), std::string(LevelLabel(m.level(), lang)),
                  std::string(StatusLabel(m.status(), lang)), OwnerOf(m),
                  m.name()});
  }
  *ctx.out << table.Render(TerminalWidth());
  *ctx.out << Format(Msg::kModelsCount, lang, models.size()) << "\n";
}

// One "Label: value" entry; long and multi-line values continue indented.
void PrintField(const CliContext& ctx, Msg label, const std::string& value) {
  std::string shown =
      value.empty() ? std::string(Text(Msg::kEmptyCell, ctx.language)) : value;
  std::string indent(kLabelWidth, ' ');
  std::string text = PadToWidth(Text(label, ctx.language), kLabelWidth);
  for (char c : shown) {
    text += c;
    if (c == '\n') text += indent;
  }
  *ctx.out << text << "\n";
}

void PrintModel(const CliContext& ctx, const v1::GetModelResponse& response) {
  const v1::Model& m = response.model();
  const Language lang = ctx.language;
  *ctx.out << m.id() << "  ·  " << LevelLabel(m.level(), lang) << "  ·  "
           << StatusLabel(m.status(), lang) << "\n\n";
  PrintField(ctx, Msg::kFieldName, m.name());
  PrintField(ctx, Msg::kFieldKind, std::string(KindLabel(m.kind(), lang)));
  if (!m.parent_id().empty()) PrintField(ctx, Msg::kFieldGroup, m.parent_id());
  PrintField(ctx, Msg::kFieldOwner, m.owner_area_id());
  if (!m.sector_slug().empty()) {
    PrintField(ctx, Msg::kFieldSector, m.sector_slug());
  }
  PrintField(ctx, Msg::kFieldImplementer, m.implementer());
  PrintField(ctx, Msg::kFieldContext, m.context());
  PrintField(ctx, Msg::kFieldResults, m.results());
  PrintField(ctx, Msg::kFieldIssues, m.issues());
  PrintField(ctx, Msg::kFieldPlan, m.plan_2021_2025());
  PrintField(ctx, Msg::kFieldRecommendation, m.recommendation());
  PrintField(ctx, Msg::kFieldAppendices, absl::StrJoin(m.appendices(), ", "));
  if (m.area_refs_size() > 0) {
    PrintField(ctx, Msg::kFieldAreaRefs, absl::StrJoin(m.area_refs(), ", "));
  }
  if (m.assigned_area_ids_size() > 0) {
    PrintField(ctx, Msg::kFieldAssignedAreas,
               absl::StrJoin(m.assigned_area_ids(), ", "));
  }
  PrintField(ctx, Msg::kFieldVersion, std::to_string(response.version()));
}

}  // namespace

int RunModelsList(const CliContext& ctx, const ModelsListOptions& options) {
  v1::ListModelsRequest request;
  if (absl::Status usage = BuildRequest(ctx, options, request); !usage.ok()) {
    return ReportUsageError(ctx, std::string(usage.message()));
  }
  client::CatalogueClient client(ctx.server, SecretOf(ctx),
                                 std::chrono::seconds(10), ctx.tls);
  absl::StatusOr<std::vector<v1::Model>> models = client.ListAllModels(request);
  if (!models.ok()) return ReportError(ctx, models.status());
  if (ctx.json) {
    v1::ListModelsResponse all;
    for (const v1::Model& m : *models) *all.add_models() = m;
    all.set_total_size(static_cast<int>(models->size()));
    return PrintJson(ctx, all);
  }
  PrintModelsTable(ctx, *models);
  return 0;
}

int RunModelsShow(const CliContext& ctx, const std::string& id) {
  client::CatalogueClient client(ctx.server, SecretOf(ctx),
                                 std::chrono::seconds(10), ctx.tls);
  absl::StatusOr<v1::GetModelResponse> response = client.GetModel(id);
  if (!response.ok()) return ReportError(ctx, response.status());
  if (ctx.json) return PrintJson(ctx, *response);
  PrintModel(ctx, *response);
  return 0;
}

}  // namespace fieldsync::cli
