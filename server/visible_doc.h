// Loading the one document an admin RPC names, as the caller may see it.
// Every admin read or change naming one item goes through here, so an item
// outside the caller's area answers exactly as a missing one (like GetModel
// and ResolveConflict): the same code, the same message but for the id.
// The audit trail alone tells the two apart: a lookup outside the caller's
// area is recorded there (AuditOutOfScope), a missing item is not.
#ifndef FIELDSYNC_SERVER_VISIBLE_DOC_H_
#define FIELDSYNC_SERVER_VISIBLE_DOC_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "server/audit_log.h"
#include "server/authenticator.h"
#include "sync/area_tree.h"
#include "sync/store.h"

namespace fieldsync::server {

// The audit kind of a lookup answered NotFound because the item lies
// outside the caller's read scopes.
inline constexpr char kOutOfScopeAuditKind[] = "out_of_scope";

// Records that `caller`, in `rpc` ("ModelHistory", …), named `target` (a
// document key, an area id) outside its read scopes and was answered as if
// it did not exist; `detail` may say more. Queued on the audit log's own
// thread: the answer neither waits for it nor differs because of it.
void AuditOutOfScope(AuditLog& audit, const Caller& caller,
                     std::string_view rpc, std::string target,
                     std::string_view detail = "");

// The document `<kind>/<id>`; NotFound naming `field` ("no <kind> "<id>"")
// when it does not exist, is deleted, or lies outside `caller`'s read
// scopes (sync/access.h). An id naming an area outside them is refused
// before the store is read (MayReadKey); the stored document's scopes are
// checked before anything else about it is looked at (MayRead). Either
// refusal is recorded in `audit` for `rpc` (AuditOutOfScope); a missing
// document is not. InvalidArgument naming `field` for an empty id.
absl::StatusOr<v1::Document> LoadVisible(Store& store, const AreaTree& areas,
                                         const Caller& caller,
                                         std::string_view kind,
                                         const std::string& id,
                                         std::string_view field,
                                         AuditLog& audit, std::string_view rpc);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_VISIBLE_DOC_H_
