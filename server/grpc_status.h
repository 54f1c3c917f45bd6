// The one place an absl::Status becomes a grpc::Status (STYLE.md 6). Field
// violations attached to the status travel as error details: an ErrorStatus
// (wire-compatible with google.rpc.Status) in grpc-status-details-bin.
#ifndef FIELDSYNC_SERVER_GRPC_STATUS_H_
#define FIELDSYNC_SERVER_GRPC_STATUS_H_

#include <grpcpp/support/server_callback.h>
#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace fieldsync::server {

grpc::Status ToGrpcStatus(const absl::Status& status);

// Finishes a unary call with `result`: its value into `response` on success,
// its status translated (with details) otherwise.
template <typename Response>
void FinishUnary(grpc::ServerUnaryReactor* reactor,
                 absl::StatusOr<Response> result, Response* response) {
  if (result.ok()) {
    *response = *std::move(result);
    reactor->Finish(grpc::Status::OK);
  } else {
    reactor->Finish(ToGrpcStatus(result.status()));
  }
}

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_GRPC_STATUS_H_
