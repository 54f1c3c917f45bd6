// The catalogue's administration: create, update with a field mask,
// archive, restore, and history. A model the caller may not read is, to
// every one of them, a model that does not exist. Every write goes through
// AdminWriter, so it is a mutation like a tablet's: versioned, synced,
// reviewable.
#ifndef FIELDSYNC_SERVER_CATALOGUE_ADMIN_H_
#define FIELDSYNC_SERVER_CATALOGUE_ADMIN_H_

#include "absl/status/statusor.h"
#include "fieldsync/v1/admin_service.pb.h"
#include "server/admin_writer.h"
#include "server/audit_log.h"
#include "sync/area_tree.h"
#include "sync/store.h"

namespace fieldsync::server {

class CatalogueAdmin {
 public:
  // Everything must outlive this.
  CatalogueAdmin(Store* store, AdminWriter* writer, AuditLog* audit,
                 const ServerReplica* replica)
      : store_(store), writer_(writer), audit_(audit), replica_(replica) {}

  absl::StatusOr<v1::CreateModelResponse> Create(
      const Caller& caller, const v1::CreateModelRequest& request);
  // Only the fields named in the mask change. InvalidArgument naming
  // `update_mask.paths` and the path for one that is not a field.
  absl::StatusOr<v1::UpdateModelResponse> Update(
      const Caller& caller, const v1::UpdateModelRequest& request);
  absl::StatusOr<v1::ArchiveModelResponse> Archive(
      const Caller& caller, const v1::ArchiveModelRequest& request);
  absl::StatusOr<v1::RestoreModelResponse> Restore(
      const Caller& caller, const v1::RestoreModelRequest& request);
  // Sets the areas expected to report on a model (sync/completeness.h),
  // or drops the assignment (no areas): a model change like Update, so
  // versioned, merged and reviewable, and audited. NotFound naming
  // `model_id` or `area_ids[i]` for an unknown model or area (an area the
  // caller may not read is unknown to it), InvalidArgument for a repeated
  // area.
  absl::StatusOr<v1::AssignModelAreasResponse> AssignAreas(
      const Caller& caller, const v1::AssignModelAreasRequest& request);
  // Every version of a model, oldest first.
  absl::StatusOr<v1::ModelHistoryResponse> History(
      const Caller& caller, const v1::ModelHistoryRequest& request) const;

 private:
  // Writes `sets` on the model's current version, with `audit` in the same
  // batch; the model afterwards.
  absl::StatusOr<v1::Document> Write(const Caller& caller,
                                     const v1::Document& current,
                                     std::vector<v1::FieldSet> sets,
                                     v1::AuditEvent audit);
  // The stored model as `caller` may see it; NotFound naming `field`
  // otherwise, for one outside its scopes too, which is audited as a
  // lookup outside them in `rpc` (visible_doc.h).
  absl::StatusOr<v1::Document> Existing(const Caller& caller,
                                        const std::string& id,
                                        std::string_view field,
                                        std::string_view rpc) const;

  Store* const store_;
  AdminWriter* const writer_;
  AuditLog* const audit_;
  // Its hierarchy decides which areas exist.
  const ServerReplica* const replica_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_CATALOGUE_ADMIN_H_
