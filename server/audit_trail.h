// Reading the audit trail (AdminService.ListAuditEvents): filtered by the
// acting device, its area, the kind and a time range, oldest first, a page
// at a time. One call reads at most kAuditScanLimit events of the trail, so
// a filter that matches little never makes a call read the whole trail: the
// page then comes back short, with a token to go on from where it stopped.
#ifndef FIELDSYNC_SERVER_AUDIT_TRAIL_H_
#define FIELDSYNC_SERVER_AUDIT_TRAIL_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "fieldsync/v1/admin_service.pb.h"
#include "server/device_registry.h"
#include "sync/server_replica.h"
#include "sync/store.h"

namespace fieldsync::server {

// Events one call reads at most, matching or not.
inline constexpr size_t kAuditScanLimit = 10'000;

class AuditTrail {
 public:
  // Everything must outlive the trail.
  AuditTrail(Store* store, const DeviceRegistry* registry,
             const ServerReplica* replica)
      : store_(store), registry_(registry), replica_(replica) {}

  // One page of `request`'s events. InvalidArgument naming the field for a
  // bad page size or token, an unknown area, a negative time, or `since`
  // after `until`.
  absl::StatusOr<v1::ListAuditEventsResponse> List(
      const v1::ListAuditEventsRequest& request) const;

 private:
  Store* const store_;
  const DeviceRegistry* const registry_;
  const ServerReplica* const replica_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_AUDIT_TRAIL_H_
