// The one place an absl::Status becomes a grpc::Status (STYLE.md 6). Field
// violations attached to the status travel as error details: an ErrorStatus
// (wire-compatible with google.rpc.Status) in grpc-status-details-bin.
#ifndef FIELDSYNC_SERVER_GRPC_STATUS_H_
#define FIELDSYNC_SERVER_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace fieldsync::server {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_GRPC_STATUS_H_
