// Changes to the hierarchy (AdminService.ApplyAreaChanges): the rows of an
// official mapping table checked against the replica's hierarchy by
// sync/area_changes.h, then written by the replica's one writer as one
// batch together with their audit event, or not at all.
#ifndef FIELDSYNC_SERVER_AREA_ADMIN_H_
#define FIELDSYNC_SERVER_AREA_ADMIN_H_

#include "absl/status/statusor.h"
#include "fieldsync/v1/admin_service.pb.h"
#include "server/authenticator.h"
#include "sync/clock.h"
#include "sync/server_replica.h"

namespace fieldsync::server {

class AreaAdmin {
 public:
  // Both must outlive the admin.
  AreaAdmin(ServerReplica* replica, ClockSource* clock)
      : replica_(replica), clock_(clock) {}

  // Checks every row, then (unless `validate_only`) writes them all.
  // InvalidArgument naming the row and field of the first bad one, and
  // nothing written.
  absl::StatusOr<v1::ApplyAreaChangesResponse> Apply(
      const Caller& caller, const v1::ApplyAreaChangesRequest& request);

 private:
  ServerReplica* const replica_;
  ClockSource* const clock_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_AREA_ADMIN_H_
