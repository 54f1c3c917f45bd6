#include "server/visible_doc.h"

#include "absl/strings/str_cat.h"
#include "sync/access.h"
#include "sync/field_error.h"
#include "sync/keys.h"

namespace fieldsync::server {

absl::StatusOr<v1::Document> LoadVisible(Store& store, const AreaTree& areas,
                                         const Caller& caller,
                                         std::string_view kind,
                                         const std::string& id,
                                         std::string_view field) {
  if (id.empty()) return InvalidFieldError(field, "is required");
  const absl::Status missing =
      FieldError(absl::StatusCode::kNotFound, field,
                 absl::StrCat("no ", std::string(kind), " \"", id, "\""));
  const std::string key = DocKey(kind, id);
  if (!MayReadKey(caller.read_scopes, key, areas)) return missing;
  absl::StatusOr<std::optional<v1::Document>> doc = store.GetDoc(key);
  if (!doc.ok()) return doc.status();
  if (!doc->has_value() || (*doc)->deleted() ||
      !MayRead(caller.read_scopes, (*doc)->scopes())) {
    return missing;
  }
  return **std::move(doc);
}

}  // namespace fieldsync::server
