// Validation used by the merge: mutation shape, field paths and values,
// status transitions, domain rules, locks. Internal to merge.cc.
#ifndef FIELDSYNC_SYNC_MERGE_CHECKS_H_
#define FIELDSYNC_SYNC_MERGE_CHECKS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fieldsync/v1/document.pb.h"
#include "fieldsync/v1/sync.pb.h"
#include "sync/doc_kind.h"
#include "sync/field_path.h"
#include "sync/merge.h"

namespace fieldsync::merge_internal {

// One field set of a mutation, resolved against the body type. Its path
// and value stay in the mutation (PathOf, ValueOf), not copied here.
struct ResolvedSet {
  // The set's index in the mutation's sets; -1 for one the merge makes
  // itself (an archive), whose path and value are `own_path`, `own_value`.
  int index = -1;
  FieldRef ref;
  // ParseValue(value), once (nullptr: a clear, or a scalar's value, which
  // ApplyParsed parses into the body); shared because sets are copied.
  std::shared_ptr<const google::protobuf::Message> parsed;
  std::string own_path;
  std::string own_value;
};

// The path and value of `set`, one of `mutation`'s resolved sets.
inline const std::string& PathOf(const ResolvedSet& set,
                                 const v1::Mutation& mutation) {
  return set.index < 0 ? set.own_path : mutation.sets(set.index).path();
}
inline const std::string& ValueOf(const ResolvedSet& set,
                                  const v1::Mutation& mutation) {
  return set.index < 0 ? set.own_value : mutation.sets(set.index).value();
}

// Checks the mutation's shape (device, authority, sizes, paths, values) and
// resolves its sets; InvalidArgument naming the field otherwise.
absl::StatusOr<std::vector<ResolvedSet>> ResolveMutation(
    const v1::Mutation& mutation, DocKind kind);

// Checks the status change from `before` (nullptr: new document) to
// `after` for `authority` (status_rules.h: STATUS_TRANSITION, AUTHORITY or
// INVALID_VALUE attached).
absl::Status CheckStatusChange(DocKind kind, const v1::Document* before,
                               const v1::Document& after,
                               v1::Authority authority);

// Domain rules of the new state (`before`: the old one, nullptr for a new
// document): known areas, a new report or proposal only for an area that
// exists today (one merged away names its successor: AREA_SUPERSEDED), the
// area its id names if it names one (access.h, AreaNamedBy), a period that
// reads as a year, catalogue edits only by district or province
// (AUTHORITY). A refusal with no reason attached is a bad value.
absl::Status CheckDocument(DocKind kind, const v1::Document* before,
                           const v1::Document& doc, v1::Authority authority,
                           const MergeContext& context);

// Why a change waits in the review queue as an amendment instead of
// reaching the document: its code and its sentence. False (no code, no
// sentence) when it does not.
struct ReviewCause {
  v1::MutationReason code = v1::MUTATION_REASON_UNSPECIFIED;
  std::string why;
  explicit operator bool() const {
    return code != v1::MUTATION_REASON_UNSPECIFIED;
  }
};

// YEAR_LOCKED if `doc`, a report as it is or would be, is in a year locked
// to `mutation` (every author but the province).
ReviewCause YearLockReason(const v1::Document& doc,
                           const v1::Mutation& mutation,
                           const MergeContext& context);

// Why `doc` takes no direct writes from `mutation`: YEAR_LOCKED, or
// REPORT_ACCEPTED (a reviewer may still reopen it).
ReviewCause LockReason(const v1::Document& doc,
                       const std::vector<ResolvedSet>& sets,
                       const v1::Mutation& mutation,
                       const MergeContext& context);

}  // namespace fieldsync::merge_internal

#endif  // FIELDSYNC_SYNC_MERGE_CHECKS_H_
