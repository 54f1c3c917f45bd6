// `fieldsync admin models update|archive|restore|history`: the province's
// (and districts', for their own models) changes to the catalogue, each a
// versioned change tablets receive on their next sync.
#include <ostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/display_width.h"
#include "client-sdk/cli/table.h"
#include "client-sdk/field_text.h"
#include "client-sdk/value_text.h"
#include "sync/field_error.h"

namespace fieldsync::cli {
namespace {

client::AdminClient Admin(const CliContext& ctx) {
  return client::AdminClient(ctx.server, SecretOf(ctx),
                             std::chrono::seconds(20), ctx.tls);
}

std::string TimeText(int64_t micros) {
  if (micros == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::FromUnixMicros(micros),
                          absl::LocalTimeZone());
}

// "path: before → after", each value cut short for the table.
std::string ChangeText(const std::string& key, const v1::FieldChange& c) {
  auto text = [&](const std::string& value) {
    std::string shown =
        client::FieldSetValueText(key, c.path(), value).value_or("?");
    if (shown.empty()) return std::string("∅");
    return TruncateToWidth(OneLine(shown), 36);
  };
  return absl::StrCat(c.path(), ": ", text(c.before()), " → ", text(c.after()));
}

}  // namespace

int RunModelsHistory(const CliContext& ctx, const std::string& id) {
  absl::StatusOr<v1::ModelHistoryResponse> history =
      Admin(ctx).ModelHistory(id);
  if (!history.ok()) return ReportError(ctx, history.status());
  if (ctx.json) return PrintJson(ctx, *history);
  const Language lang = ctx.language;
  Table table({std::string(Text(Msg::kColVersion, lang)),
               std::string(Text(Msg::kColTime, lang)),
               std::string(Text(Msg::kColAuthor, lang)),
               std::string(Text(Msg::kColDevice, lang)),
               std::string(Text(Msg::kColChanges, lang))});
  const std::string key = "model/" + id;
  for (const v1::ModelVersion& v : history->versions()) {
    std::vector<std::string> changes;
    for (const v1::FieldChange& c : v.changes()) {
      changes.push_back(ChangeText(key, c));
    }
    const bool loaded = !v.has_change();
    table.AddRow({absl::StrCat(v.version()),
                  TimeText(v.change().server_time_micros()),
                  loaded ? std::string(Text(Msg::kLoadedCatalogue, lang))
                         : v.change().author(),
                  loaded ? "-" : v.change().device_id(),
                  loaded ? Format(Msg::kFieldsSet, lang, v.changes_size())
                         : absl::StrJoin(changes, "; ")});
  }
  *ctx.out << table.Render(TerminalWidth())
           << Format(Msg::kVersionsCount, lang, history->versions_size())
           << "\n";
  return 0;
}

int RunModelsUpdate(const CliContext& ctx, const std::string& id,
                    const std::vector<std::string>& assignments) {
  if (assignments.empty()) {
    return ReportUsageError(
        ctx, std::string(Text(Msg::kErrNothingToChange, ctx.language)));
  }
  v1::UpdateModelRequest request;
  request.mutable_model()->set_id(id);
  for (const std::string& assignment : assignments) {
    const size_t equals = assignment.find('=');
    if (equals == std::string::npos) {
      return ReportUsageError(ctx, Format(Msg::kErrBadAssignment, ctx.language,
                                          "--set", assignment));
    }
    const std::string path = assignment.substr(0, equals);
    absl::StatusOr<v1::FieldSet> set = client::FieldSetFromText(
        "model/" + id, path, assignment.substr(equals + 1));
    if (!set.ok()) {
      return ReportUsageError(
          ctx, absl::StrCat("--set ", std::string(set.status().message())));
    }
    // Each value is a Model holding only that field: merge them.
    request.mutable_model()->MergeFromString(set->value());
    request.mutable_update_mask()->add_paths(path);
  }
  request.mutable_model()->set_id(id);
  absl::StatusOr<v1::UpdateModelResponse> updated =
      Admin(ctx).UpdateModel(request);
  if (!updated.ok()) return ReportError(ctx, updated.status());
  if (ctx.json) return PrintJson(ctx, *updated);
  *ctx.out << Format(Msg::kModelUpdated, ctx.language, id, updated->version())
           << "\n";
  return 0;
}

int RunModelsArchive(const CliContext& ctx, const std::string& id,
                     const std::string& reason) {
  v1::ArchiveModelRequest request;
  request.set_id(id);
  request.set_reason(reason);
  absl::StatusOr<v1::ArchiveModelResponse> archived =
      Admin(ctx).ArchiveModel(request);
  if (!archived.ok()) return ReportError(ctx, archived.status());
  if (ctx.json) return PrintJson(ctx, *archived);
  *ctx.out << Format(Msg::kModelUpdated, ctx.language, id, archived->version())
           << "\n";
  return 0;
}

int RunAssignModelAreas(const CliContext& ctx, const std::string& model,
                        const std::string& areas, bool clear) {
  v1::AssignModelAreasRequest request;
  request.set_model_id(model);
  if (!clear) {
    for (absl::string_view area : absl::StrSplit(areas, ',')) {
      area = absl::StripAsciiWhitespace(area);
      if (!area.empty()) request.add_area_ids(std::string(area));
    }
    if (request.area_ids().empty()) {
      return ReportUsageError(ctx, Format(Msg::kErrAssignNeedsAreas,
                                          ctx.language, "--areas", "--clear"));
    }
  }
  absl::StatusOr<v1::AssignModelAreasResponse> assigned =
      Admin(ctx).AssignModelAreas(request);
  if (!assigned.ok()) return ReportError(ctx, assigned.status());
  if (ctx.json) return PrintJson(ctx, *assigned);
  if (clear) {
    *ctx.out << Format(Msg::kAreasAssignmentCleared, ctx.language, model,
                       assigned->version())
             << "\n";
  } else {
    *ctx.out << Format(
                    Msg::kAreasAssigned, ctx.language, model,
                    absl::StrJoin(assigned->model().assigned_area_ids(), ", "),
                    assigned->version())
             << "\n";
  }
  return 0;
}

int RunModelsRestore(const CliContext& ctx, const std::string& id) {
  v1::RestoreModelRequest request;
  request.set_id(id);
  absl::StatusOr<v1::RestoreModelResponse> restored =
      Admin(ctx).RestoreModel(request);
  if (!restored.ok()) return ReportError(ctx, restored.status());
  if (ctx.json) return PrintJson(ctx, *restored);
  *ctx.out << Format(Msg::kModelUpdated, ctx.language, id, restored->version())
           << "\n";
  return 0;
}

}  // namespace fieldsync::cli
