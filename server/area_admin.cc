#include "server/area_admin.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "sync/area_changes.h"
#include "sync/field_error.h"
#include "sync/status_macros.h"
#include "sync/tuning.h"

namespace fieldsync::server {
namespace {

// "merge phuong-1 -> phuong-sa-dec 2025-07-01 (S2)"
std::string Describe(const v1::AreaChange& change) {
  std::string action = v1::AreaChangeAction_Name(change.action());
  action = absl::AsciiStrToLower(
      action.substr(std::string_view("AREA_CHANGE_ACTION_").size()));
  std::string what = absl::StrCat(action, " ", change.old_area_id());
  if (!change.new_area_id().empty()) {
    absl::StrAppend(&what, " -> ", change.new_area_id());
  }
  if (change.action() == v1::AREA_CHANGE_ACTION_RENAME ||
      change.action() == v1::AREA_CHANGE_ACTION_DISSOLVE_LEVEL) {
    absl::StrAppend(&what, " ",
                    change.action() == v1::AREA_CHANGE_ACTION_RENAME
                        ? change.new_area_name()
                        : v1::AreaLevel_Name(change.new_area_level()));
  }
  absl::StrAppend(&what, " ", change.valid_from());
  if (!change.source().empty())
    absl::StrAppend(&what, " (", change.source(), ")");
  return what;
}

}  // namespace

absl::StatusOr<v1::ApplyAreaChangesResponse> AreaAdmin::Apply(
    const Caller& caller, const v1::ApplyAreaChangesRequest& request) {
  if (request.changes().empty()) {
    return InvalidFieldError("changes", "holds no row");
  }
  if (request.changes_size() > tuning::kMaxAreaChangesPerCall) {
    return InvalidFieldError(
        "changes", absl::StrCat(request.changes_size(), " rows; the limit is ",
                                tuning::kMaxAreaChangesPerCall));
  }
  const std::vector<v1::AreaChange> changes(request.changes().begin(),
                                            request.changes().end());
  FS_ASSIGN_OR_RETURN(std::vector<v1::Area> areas,
                      ApplyAreaChanges(*replica_->areas(), changes));
  v1::ApplyAreaChangesResponse response;
  if (!request.validate_only()) {
    v1::AuditEvent event;
    event.set_time_micros(clock_->NowMicros());
    event.set_kind("areas");
    event.set_actor_device_id(caller.device_id);
    event.set_target(absl::StrCat(changes.size(), " changes"));
    std::string detail;
    for (const v1::AreaChange& change : changes) {
      if (!detail.empty()) detail += "; ";
      detail += Describe(change);
    }
    event.set_detail(std::move(detail));
    FS_ASSIGN_OR_RETURN(
        areas, replica_->WriteAreas(std::move(areas), std::move(event)));
    response.set_applied(true);
  }
  for (v1::Area& area : areas) *response.add_areas() = std::move(area);
  return response;
}

}  // namespace fieldsync::server
