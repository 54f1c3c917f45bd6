#include "server/catalogue_admin.h"

#include <map>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/page_token.h"
#include "server/visible_doc.h"
#include "sync/access.h"
#include "sync/doc_kind.h"
#include "sync/field_error.h"
#include "sync/field_path.h"
#include "sync/keys.h"
#include "sync/status_macros.h"
#include "sync/tuning.h"

namespace fieldsync::server {
namespace {

std::string ModelKey(const std::string& id) { return DocKey(kModelKind, id); }

std::string Quoted(std::string_view text) {
  return absl::StrCat("\"", std::string(text), "\"");
}

// One FieldSet per path, its value taken from `model`.
absl::StatusOr<std::vector<v1::FieldSet>> SetsFrom(
    const v1::Model& model, const std::vector<std::string>& paths,
    std::string_view field) {
  std::vector<v1::FieldSet> sets;
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string& path = paths[i];
    const std::string where = absl::StrCat(std::string(field), "[", i, "]");
    absl::StatusOr<FieldRef> ref = ResolvePath(v1::Model::descriptor(), path);
    if (!ref.ok()) {
      return InvalidFieldError(
          where, absl::StrCat(Quoted(path), " is not a field of ",
                              v1::Model::descriptor()->full_name()));
    }
    if (path == "id") {
      return InvalidFieldError(where, "\"id\" cannot be changed");
    }
    sets.push_back(FieldSetOf(model, path));
  }
  return sets;
}

v1::FieldSet StatusSet(v1::ModelStatus status) {
  v1::Model model;
  model.set_status(status);
  return SetsFrom(model, {"status"}, "status").value().front();
}

}  // namespace

absl::StatusOr<v1::Document> CatalogueAdmin::Existing(
    const Caller& caller, const std::string& id, std::string_view field,
    std::string_view rpc) const {
  return LoadVisible(*store_, *replica_->areas(), caller, kModelKind, id, field,
                     *audit_, rpc);
}

absl::StatusOr<v1::Document> CatalogueAdmin::Write(
    const Caller& caller, const v1::Document& current,
    std::vector<v1::FieldSet> sets, v1::AuditEvent audit) {
  absl::StatusOr<v1::MutationResult> result =
      writer_->Write(caller, current.key(), current.version(), std::move(sets),
                     std::move(audit));
  if (!result.ok()) return result.status();
  absl::StatusOr<std::optional<v1::Document>> after =
      store_->GetDoc(current.key());
  if (!after.ok()) return after.status();
  return after->value_or(current);
}

absl::StatusOr<v1::CreateModelResponse> CatalogueAdmin::Create(
    const Caller& caller, const v1::CreateModelRequest& request) {
  const v1::Model& model = request.model();
  if (model.id().empty()) return InvalidFieldError("model.id", "is required");
  if (!ParseDocKey(ModelKey(model.id())).ok()) {
    return InvalidFieldError(
        "model.id", absl::StrCat(Quoted(model.id()),
                                 " is not an id: use a-z, 0-9 and '-'"));
  }
  // A district's model ids begin with its own ("huyen-tp-sa-dec-05"), and
  // a district officer names only those: whether an id of another district
  // is taken is not theirs to learn, so it is refused before it is looked
  // up, the same way for a taken id and a free one.
  if (caller.role == v1::ROLE_DISTRICT_OFFICER) {
    const std::string own = absl::StrCat("huyen-", caller.area_id, "-");
    if (!absl::StartsWith(model.id(), own)) {
      return InvalidFieldError(
          "model.id", absl::StrCat(Quoted(model.id()),
                                   ": a district's new model id begins with ",
                                   Quoted(own)));
    }
  }
  absl::StatusOr<std::optional<v1::Document>> existing =
      store_->GetDoc(ModelKey(model.id()));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return FieldError(absl::StatusCode::kAlreadyExists, "model.id",
                      absl::StrCat(Quoted(model.id()), " already exists"));
  }
  std::vector<std::string> paths = SetPaths(model);
  std::erase(paths, "id");  // the document key carries it
  absl::StatusOr<std::vector<v1::FieldSet>> sets =
      SetsFrom(model, paths, "model");
  if (!sets.ok()) return sets.status();
  v1::Document fresh;
  fresh.set_key(ModelKey(model.id()));
  absl::StatusOr<v1::Document> after =
      Write(caller, fresh, *std::move(sets),
            audit_->Event("create_model", caller.device_id, model.id(),
                          model.name()));
  if (!after.ok()) return after.status();
  v1::CreateModelResponse out;
  *out.mutable_model() = after->model();
  out.set_version(after->version());
  return out;
}

absl::StatusOr<v1::UpdateModelResponse> CatalogueAdmin::Update(
    const Caller& caller, const v1::UpdateModelRequest& request) {
  if (request.update_mask().paths().empty()) {
    return InvalidFieldError("update_mask.paths",
                             "name at least one field to change");
  }
  absl::StatusOr<std::vector<v1::FieldSet>> sets =
      SetsFrom(request.model(),
               {request.update_mask().paths().begin(),
                request.update_mask().paths().end()},
               "update_mask.paths");
  if (!sets.ok()) return sets.status();
  absl::StatusOr<v1::Document> current =
      Existing(caller, request.model().id(), "model.id", "UpdateModel");
  if (!current.ok()) return current.status();
  if (request.base_version() != 0) {
    // An edit of an older version merges like a tablet's: the review queue
    // keeps a losing value.
    current->set_version(request.base_version());
  }
  absl::StatusOr<v1::Document> after = Write(
      caller, *current, *std::move(sets),
      audit_->Event("update_model", caller.device_id, request.model().id(),
                    absl::StrJoin(request.update_mask().paths(), ", ")));
  if (!after.ok()) return after.status();
  v1::UpdateModelResponse out;
  *out.mutable_model() = after->model();
  out.set_version(after->version());
  return out;
}

absl::StatusOr<v1::ArchiveModelResponse> CatalogueAdmin::Archive(
    const Caller& caller, const v1::ArchiveModelRequest& request) {
  absl::StatusOr<v1::Document> current =
      Existing(caller, request.id(), "id", "ArchiveModel");
  if (!current.ok()) return current.status();
  if (current->model().status() == v1::MODEL_STATUS_ARCHIVED) {
    return FieldError(
        absl::StatusCode::kFailedPrecondition, "id",
        absl::StrCat(Quoted(request.id()), " is archived already"));
  }
  absl::StatusOr<v1::Document> after =
      Write(caller, *current, {StatusSet(v1::MODEL_STATUS_ARCHIVED)},
            audit_->Event("archive_model", caller.device_id, request.id(),
                          request.reason()));
  if (!after.ok()) return after.status();
  v1::ArchiveModelResponse out;
  *out.mutable_model() = after->model();
  out.set_version(after->version());
  return out;
}

absl::StatusOr<v1::RestoreModelResponse> CatalogueAdmin::Restore(
    const Caller& caller, const v1::RestoreModelRequest& request) {
  absl::StatusOr<v1::Document> current =
      Existing(caller, request.id(), "id", "RestoreModel");
  if (!current.ok()) return current.status();
  if (current->model().status() != v1::MODEL_STATUS_ARCHIVED) {
    return FieldError(absl::StatusCode::kFailedPrecondition, "id",
                      absl::StrCat(Quoted(request.id()), " is not archived"));
  }
  if (request.status() == v1::MODEL_STATUS_ARCHIVED) {
    return InvalidFieldError("status", "a restored model is not archived");
  }
  const v1::ModelStatus status =
      request.status() == v1::MODEL_STATUS_UNSPECIFIED
          ? v1::MODEL_STATUS_CONTINUING
          : request.status();
  absl::StatusOr<v1::Document> after =
      Write(caller, *current, {StatusSet(status)},
            audit_->Event("restore_model", caller.device_id, request.id(), ""));
  if (!after.ok()) return after.status();
  v1::RestoreModelResponse out;
  *out.mutable_model() = after->model();
  out.set_version(after->version());
  return out;
}

absl::StatusOr<v1::AssignModelAreasResponse> CatalogueAdmin::AssignAreas(
    const Caller& caller, const v1::AssignModelAreasRequest& request) {
  absl::StatusOr<v1::Document> current =
      Existing(caller, request.model_id(), "model_id", "AssignModelAreas");
  if (!current.ok()) return current.status();
  absl::flat_hash_set<std::string> seen;
  const std::shared_ptr<const AreaTree> areas = replica_->areas();
  v1::Model assigned;
  for (int i = 0; i < request.area_ids_size(); ++i) {
    const std::string& id = request.area_ids(i);
    const std::string field = absl::StrCat("area_ids[", i, "]");
    const bool known = areas->Find(id) != nullptr;
    if (!known ||
        (caller.policy.has_value() &&
         !MayReadFiguresOf(caller.role, caller.area_id, id, *areas))) {
      if (known) {
        AuditOutOfScope(*audit_, caller, "AssignModelAreas", id,
                        absl::StrCat(field, " for model ", request.model_id()));
      }
      return FieldError(absl::StatusCode::kNotFound, field,
                        absl::StrCat("no area ", Quoted(id)));
    }
    if (!seen.insert(id).second) {
      return InvalidFieldError(field,
                               absl::StrCat(Quoted(id), " is named twice"));
    }
    assigned.add_assigned_area_ids(id);
  }
  if (request.base_version() != 0) current->set_version(request.base_version());
  absl::StatusOr<v1::Document> after = Write(
      caller, *current, {FieldSetOf(assigned, "assigned_area_ids")},
      audit_->Event("assign_model_areas", caller.device_id, request.model_id(),
                    request.area_ids().empty()
                        ? "the catalogue's implementing units"
                        : absl::StrJoin(request.area_ids(), ",")));
  if (!after.ok()) return after.status();
  v1::AssignModelAreasResponse out;
  *out.mutable_model() = after->model();
  out.set_version(after->version());
  return out;
}

absl::StatusOr<v1::ModelHistoryResponse> CatalogueAdmin::History(
    const Caller& caller, const v1::ModelHistoryRequest& request) const {
  FS_ASSIGN_OR_RETURN(
      const int page_size,
      PageSizeOf(request.page_size(), tuning::kDefaultHistoryPageSize,
                 tuning::kMaxHistoryPageSize));
  FS_ASSIGN_OR_RETURN(const PageStart start, PageStartOf(request));
  uint64_t after = 0;
  if (!start.after.empty() && (!absl::SimpleAtoi(start.after, &after) ||
                               after == 0 || after == UINT64_MAX)) {
    return InvalidFieldError("page_token", "is not a page of this list");
  }
  // Scope first: a model outside the caller's area reads as a missing one.
  absl::StatusOr<v1::Document> current =
      Existing(caller, request.id(), "id", "ModelHistory");
  if (!current.ok()) return current.status();
  // The values before the page's first version: the version the last page
  // ended at, one seek away.
  v1::Model before;
  if (after != 0) {
    FS_ASSIGN_OR_RETURN(std::optional<v1::Document> previous,
                        store_->GetDocAtVersion(current->key(), after));
    if (previous.has_value()) before = previous->model();
  }
  v1::ModelHistoryResponse out;
  size_t bytes = 0;
  bool more = false;
  FS_RETURN_IF_ERROR(store_->ScanHistoryAfter(
      current->key(), after, [&](const v1::Document& doc) {
        if (out.versions_size() == page_size ||
            bytes >= tuning::kMaxListPageBytes) {
          more = true;
          return false;
        }
        const bool first = after == 0 && out.versions_size() == 0;
        v1::ModelVersion* version = out.add_versions();
        version->set_version(doc.version());
        if (doc.has_change()) *version->mutable_change() = doc.change();
        *version->mutable_model() = doc.model();
        // The paths this version set, in path order. The loaded catalogue
        // has no per-field versions: its first version set every field.
        std::map<std::string, uint64_t> paths(doc.field_versions().begin(),
                                              doc.field_versions().end());
        if (first && paths.empty()) {
          for (const std::string& path : SetPaths(doc.model())) {
            paths[path] = doc.version();
          }
        }
        for (const auto& [path, set_at] : paths) {
          if (set_at != doc.version()) continue;
          absl::StatusOr<FieldRef> ref =
              ResolvePath(v1::Model::descriptor(), path);
          if (!ref.ok()) continue;
          v1::FieldChange* change = version->add_changes();
          change->set_path(path);
          change->set_before(ExtractValue(before, *ref));
          change->set_after(ExtractValue(doc.model(), *ref));
        }
        before = doc.model();
        bytes += version->ByteSizeLong();
        after = doc.version();
        return true;
      }));
  if (more) out.set_next_page_token(NextPageToken(start, absl::StrCat(after)));
  return out;
}

}  // namespace fieldsync::server
