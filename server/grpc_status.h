// The one place an absl::Status becomes a grpc::Status (STYLE.md 6). Every
// refusal carries error details in grpc-status-details-bin, as every gRPC
// library reads them (grpc-status in Python, Node, Go): a google.rpc.Status
// holding a google.rpc.ErrorInfo (sync/error_info.h: the reason attached to
// the status, or its code's name; domain "fieldsync.v1") and, when fields
// were bad, the google.rpc.BadRequest naming them (sync/field_error.h).
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
