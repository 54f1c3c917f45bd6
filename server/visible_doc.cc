#include "server/visible_doc.h"

#include "absl/strings/str_cat.h"
#include "sync/access.h"
#include "sync/field_error.h"
#include "sync/keys.h"

namespace fieldsync::server {

void AuditOutOfScope(AuditLog& audit, const Caller& caller,
                     std::string_view rpc, std::string target,
                     std::string_view detail) {
  audit.Record(kOutOfScopeAuditKind, caller.device_id, std::move(target),
               absl::StrCat(std::string(rpc),
                            ": outside the caller's read scopes, answered as "
                            "missing",
                            detail.empty() ? "" : "; ", std::string(detail)),
               caller.peer);
}

absl::StatusOr<v1::Document> LoadVisible(
    Store& store, const AreaTree& areas, const Caller& caller,
    std::string_view kind, const std::string& id, std::string_view field,
    AuditLog& audit, std::string_view rpc) {
  if (id.empty()) return InvalidFieldError(field, "is required");
  // One answer for a missing document and one outside the caller's scopes.
  const absl::Status missing =
      FieldError(absl::StatusCode::kNotFound, field,
                 absl::StrCat("no ", std::string(kind), " \"", id, "\""));
  const std::string key = DocKey(kind, id);
  if (!MayReadKey(caller.read_scopes, key, areas)) {
    AuditOutOfScope(
        audit, caller, rpc, key,
        absl::StrCat(std::string(field), " names an area outside them"));
    return missing;
  }
  absl::StatusOr<std::optional<v1::Document>> doc = store.GetDoc(key);
  if (!doc.ok()) return doc.status();
  if (!doc->has_value() || (*doc)->deleted()) return missing;
  if (!MayRead(caller.read_scopes, (*doc)->scopes())) {
    AuditOutOfScope(audit, caller, rpc, key);
    return missing;
  }
  return **std::move(doc);
}

}  // namespace fieldsync::server
