// The reviewers' work: the review queue (list with counts and ages,
// resolve), proposals (forward, approve, return, merge), report review
// (accept, return) and locking a reviewed year. Each decision is a mutation
// through AdminWriter (versioned, synced to tablets) and an audit event;
// doing a decision twice is refused, naming the item, with nothing changed.
#ifndef FIELDSYNC_SERVER_REVIEW_ADMIN_H_
#define FIELDSYNC_SERVER_REVIEW_ADMIN_H_

#include "absl/status/statusor.h"
#include "fieldsync/v1/admin_service.pb.h"
#include "server/admin_writer.h"
#include "server/audit_log.h"
#include "sync/area_tree.h"
#include "sync/server_replica.h"
#include "sync/store.h"

namespace fieldsync::server {

class ReviewAdmin {
 public:
  // Everything must outlive this.
  ReviewAdmin(Store* store, ServerReplica* replica, AdminWriter* writer,
              AuditLog* audit)
      : store_(store), replica_(replica), writer_(writer), audit_(audit) {}

  absl::StatusOr<v1::ListConflictsResponse> List(
      const Caller& caller, const v1::ListConflictsRequest& request) const;
  absl::StatusOr<v1::ResolveConflictResponse> Resolve(
      const Caller& caller, const v1::ResolveConflictRequest& request);
  absl::StatusOr<v1::DecideProposalResponse> Decide(
      const Caller& caller, const v1::DecideProposalRequest& request);
  absl::StatusOr<v1::ReviewReportResponse> Review(
      const Caller& caller, const v1::ReviewReportRequest& request);
  absl::StatusOr<v1::LockYearResponse> Lock(const Caller& caller,
                                            const v1::LockYearRequest& request);

 private:
  absl::StatusOr<v1::ConflictRecord> FindConflict(uint64_t id) const;
  absl::StatusOr<v1::Document> Load(std::string_view kind,
                                    const std::string& id,
                                    std::string_view field) const;

  Store* const store_;
  ServerReplica* const replica_;
  AdminWriter* const writer_;
  AuditLog* const audit_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_REVIEW_ADMIN_H_
