// What a role may read and write (DESIGN.md "Security"). Pure functions over
// the role, the device's area and the area tree; the server enforces them.
//
//   commune officer   reads its commune, the province catalogue and its
//                     district's models; writes reports and proposals of
//                     its commune
//   district officer  reads its district and the catalogue; writes reports,
//                     proposals and models of its district
//   province admin    reads and writes everything; exports the appendix
//   auditor           reads everything, writes nothing; exports the appendix
//   (province admins alone back up the database)
//   (district officers export their own district's appendix rows)
#ifndef FIELDSYNC_SYNC_ACCESS_H_
#define FIELDSYNC_SYNC_ACCESS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fieldsync/v1/authority.pb.h"
#include "fieldsync/v1/device.pb.h"
#include "fieldsync/v1/document.pb.h"
#include "sync/area_tree.h"
#include "sync/doc_kind.h"

namespace fieldsync {

// What one caller may write; the merge checks it for every mutation.
struct WritePolicy {
  // False for read-only roles.
  bool may_write = true;
  // The authority the caller's changes carry, whatever the mutation says.
  v1::Authority authority = v1::AUTHORITY_PROVINCE;
  // Scopes a written document must belong to, before and after the change;
  // empty: anywhere.
  std::vector<std::string> scopes;
  // Whether the caller may write catalogue models.
  bool may_write_models = true;
};

// Checks that `role` fits `area_id` (a commune officer needs a commune, a
// district officer a district, …) and that the area exists on `date`
// (empty: any date; one merged away is refused naming its successor);
// InvalidArgument naming the field otherwise.
absl::Status CheckRoleArea(v1::Role role, const std::string& area_id,
                           const AreaTree& areas, std::string_view date = "");

// Where a device enrolled for `area_id` works on `date`: the area, or the
// one it was merged into (AreaTree::MergedSuccessorOn).
std::string WorkingAreaOf(const std::string& area_id, const AreaTree& areas,
                          std::string_view date);

// The scopes `role` at `area_id` reads.
std::vector<std::string> ReadScopes(v1::Role role, const std::string& area_id,
                                    const AreaTree& areas);

// The areas merged into an officer's area count as its own below (reads,
// writes, figures): after a merge the officers of the new commune hold the
// history of the communes it was made of.

// Whether `role` at `area_id` may read the figures (totals, completeness)
// of `target`: a province admin or an auditor any area, a district officer
// its district and what lies under it, a commune officer its commune and
// its hamlets. A caller refused here is answered as if `target` did not
// exist.
bool MayReadFiguresOf(v1::Role role, const std::string& area_id,
                      const std::string& target, const AreaTree& areas);

// Whether `role` may read the audit trail: a province admin or an auditor.
bool MayReadAuditTrail(v1::Role role);

// Whether `role` may export appendix tables at all: a province admin, an
// auditor or a district officer; a commune officer may not.
bool MayExportAppendix(v1::Role role);

// Whether `role` at `area_id` may export the appendix tables of `target`
// (the province or a district-level unit): a province admin or an auditor
// any, a district officer its own district only, a commune officer none.
// A target refused here is answered as if it did not exist.
bool MayExportAppendixOf(v1::Role role, const std::string& area_id,
                         const std::string& target);

// Whether `role` may back up the whole database (AdminService.Backup): a
// province admin only. An auditor reads everything, but a backup writes on
// the server's disk and carries every record and device hash at once.
bool MayBackUp(v1::Role role);

// The area an appendix export covers when the caller names none: its own
// district for a district officer, `province_id` for everyone else.
std::string DefaultAppendixArea(v1::Role role, const std::string& area_id,
                                const std::string& province_id);

// What `role` at `area_id` may write.
WritePolicy WritePolicyFor(v1::Role role, const std::string& area_id,
                           const AreaTree& areas);

// PermissionDenied naming the document if `policy` forbids writing it,
// given its scopes before (`before`, may be null) and after the change. The
// refusal is OutsideScope(key): it says nothing of the document.
absl::Status CheckWrite(const WritePolicy& policy, DocKind kind,
                        const v1::Document* before, const v1::Document& after);

// "<key> is outside your scope" (reason OUTSIDE_SCOPE): the one refusal of
// a write outside the caller's area, whether the document exists or not,
// whatever its version.
absl::Status OutsideScope(const std::string& key);

// A report's or proposal's id binds its area. The ids the CLI makes begin
// with the area ("<commune>.<model>.<period>", "<commune>.<slug>"): an id
// whose part before its first '.' is a known area names that area, and
// the document's area_id must be that area, when it is created and ever
// after (merge_checks.h). So an id says whose the document is before
// anything is loaded: a write or a read naming a neighbour's id is refused
// the same whether the document exists or not, and nobody takes the id a
// neighbour will use. An id naming no area ("r1", "lv-nhap") binds nothing;
// such a document's area is known only once it is loaded.
// The area `id` names, or "" (other kinds, or an id naming no area).
std::string AreaNamedBy(DocKind kind, std::string_view id,
                        const AreaTree& areas);

// OutsideScope(key) if `key`'s id names an area (AreaNamedBy) whose
// documents `policy` may not write; checked before the document is loaded.
absl::Status CheckWriteKey(const WritePolicy& policy, const std::string& key,
                           const AreaTree& areas);

// Whether a caller reading `read_scopes` may read an item in `scopes` (a
// document's or a review item's). An item it may not read is answered as
// if it did not exist.
bool MayRead(const std::vector<std::string>& read_scopes,
             const google::protobuf::RepeatedPtrField<std::string>& scopes);

// Whether a caller reading `read_scopes` may read the document `key`,
// judged by the key alone: false only when its id names an area
// (AreaNamedBy) outside them. Checked before loading; MayRead after.
bool MayReadKey(const std::vector<std::string>& read_scopes,
                const std::string& key, const AreaTree& areas);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_ACCESS_H_
