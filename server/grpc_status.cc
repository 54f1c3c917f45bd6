#include "server/grpc_status.h"

#include "fieldsync/v1/error_details.pb.h"
#include "sync/field_error.h"

namespace fieldsync::server {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbers.
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const std::string message(status.message());

  std::vector<v1::FieldViolation> violations = FieldViolations(status);
  if (violations.empty()) return grpc::Status(code, message);

  v1::BadRequest bad_request;
  for (v1::FieldViolation& v : violations) {
    *bad_request.add_field_violations() = std::move(v);
  }
  v1::ErrorStatus details;
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  details.add_details()->PackFrom(bad_request);
  return grpc::Status(code, message, details.SerializeAsString());
}

}  // namespace fieldsync::server
