// `fieldsync admin areas apply-changes FILE.csv` and `fieldsync admin areas
// add`: changes to the hierarchy, checked whole by the server and written
// all at once; --dry-run shows what would change and writes nothing.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/str_join.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/cli/area_changes_csv.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/table.h"

namespace fieldsync::cli {
namespace {

// The level as the table of this language names it.
std::string LevelName(v1::AreaLevel level, Language lang) {
  switch (level) {
    case v1::AREA_LEVEL_PROVINCE:
      return std::string(Text(Msg::kAreaLevelProvince, lang));
    case v1::AREA_LEVEL_DISTRICT:
      return std::string(Text(Msg::kAreaLevelDistrict, lang));
    case v1::AREA_LEVEL_COMMUNE:
      return std::string(Text(Msg::kAreaLevelCommune, lang));
    case v1::AREA_LEVEL_HAMLET:
      return std::string(Text(Msg::kAreaLevelHamlet, lang));
    default:
      return "";
  }
}

// "merged into phuong-sa-dec on 2025-07-01; …": the area's dated links,
// those of one kind and day together.
std::string LineageText(const v1::Area& area, Language lang) {
  std::vector<std::string> parts;
  // (message, date) -> the other areas, in the order linked.
  std::vector<std::pair<std::pair<Msg, std::string>, std::vector<std::string>>>
      groups;
  for (const v1::AreaLineage& link : area.lineage()) {
    if (link.effective_date().empty()) continue;  // a rename of the source
    Msg msg;
    switch (link.kind()) {
      case v1::LINEAGE_KIND_MERGED_INTO:
        msg = Msg::kLineageMergedInto;
        break;
      case v1::LINEAGE_KIND_MERGED_FROM:
        msg = Msg::kLineageMergedFrom;
        break;
      case v1::LINEAGE_KIND_SPLIT_FROM:
        msg = Msg::kLineageSplitFrom;
        break;
      case v1::LINEAGE_KIND_SPLIT_INTO:
        msg = Msg::kLineageSplitInto;
        break;
      case v1::LINEAGE_KIND_RENAMED_FROM:
        parts.push_back(Format(Msg::kLineageRenamedFrom, lang,
                               link.former_name(), link.effective_date()));
        continue;
      case v1::LINEAGE_KIND_DISSOLVED_INTO:
        msg = Msg::kLineageDissolvedInto;
        break;
      case v1::LINEAGE_KIND_ABSORBED:
        msg = Msg::kLineageAbsorbed;
        break;
      default:
        continue;
    }
    const std::pair<Msg, std::string> key = {msg, link.effective_date()};
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first == key; });
    if (it == groups.end()) it = groups.insert(groups.end(), {key, {}});
    it->second.push_back(link.area_id());
  }
  for (const auto& [key, ids] : groups) {
    parts.push_back(
        Format(key.first, lang, absl::StrJoin(ids, ", "), key.second));
  }
  for (const v1::FormerParent& former : area.former_parents()) {
    parts.push_back(Format(Msg::kLineageMovedFrom, lang, former.parent_id(),
                           former.until()));
  }
  return absl::StrJoin(parts, "; ");
}

int Apply(const CliContext& ctx, v1::ApplyAreaChangesRequest request) {
  const Language lang = ctx.language;
  client::AdminClient admin(ctx.server, SecretOf(ctx), std::chrono::seconds(60),
                            ctx.tls);
  const int rows = request.changes_size();
  absl::StatusOr<v1::ApplyAreaChangesResponse> response =
      admin.ApplyAreaChanges(request);
  if (!response.ok()) return ReportError(ctx, response.status());
  if (ctx.json) return PrintJson(ctx, *response);
  *ctx.out << Format(
                  response->applied() ? Msg::kAreasApplied : Msg::kAreasChecked,
                  lang, rows, response->areas_size())
           << "\n\n";
  Table table({std::string(Text(Msg::kColId, lang)),
               std::string(Text(Msg::kColName, lang)),
               std::string(Text(Msg::kColLevel, lang)),
               std::string(Text(Msg::kColParent, lang)),
               std::string(Text(Msg::kColValidFrom, lang)),
               std::string(Text(Msg::kColValidUntil, lang)),
               std::string(Text(Msg::kColLineage, lang))});
  for (const v1::Area& area : response->areas()) {
    table.AddRow({area.id(), area.full_name(), LevelName(area.level(), lang),
                  area.parent_id(), area.valid_from(), area.valid_until(),
                  LineageText(area, lang)});
  }
  *ctx.out << table.Render(TerminalWidth());
  return 0;
}

}  // namespace

int RunAreasApplyChanges(const CliContext& ctx, const std::string& file,
                         bool dry_run) {
  const Language lang = ctx.language;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return ReportUsageError(ctx, Format(Msg::kErrCannotRead, lang, file));
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<v1::AreaChange>> changes =
      ParseAreaChangesCsv(text.str());
  if (!changes.ok()) {
    return ReportUsageError(
        ctx, absl::StrCat(file, ": ", changes.status().message()));
  }
  v1::ApplyAreaChangesRequest request;
  for (v1::AreaChange& change : *changes) {
    *request.add_changes() = std::move(change);
  }
  request.set_validate_only(dry_run);
  return Apply(ctx, std::move(request));
}

int RunAreasAdd(const CliContext& ctx, const AreaAddOptions& options) {
  const Language lang = ctx.language;
  v1::ApplyAreaChangesRequest request;
  v1::AreaChange& change = *request.add_changes();
  change.set_action(v1::AREA_CHANGE_ACTION_ADD);
  change.set_new_area_id(options.id);
  change.set_new_area_name(options.name);
  change.set_new_area_level(AreaLevelOf(options.level));
  if (change.new_area_level() == v1::AREA_LEVEL_UNSPECIFIED) {
    return ReportUsageError(
        ctx, Format(Msg::kErrBadChoice, lang, "--level", options.level,
                    "province, district, commune, hamlet"));
  }
  change.set_parent_id(options.parent);
  change.set_valid_from(options.valid_from);
  change.set_source(options.source);
  request.set_validate_only(options.dry_run);
  return Apply(ctx, std::move(request));
}

}  // namespace fieldsync::cli
