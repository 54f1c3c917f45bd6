#include "server/grpc_status.h"

#include "absl/strings/cord.h"
#include "absl/types/optional.h"
#include "google/rpc/status.pb.h"
#include "sync/error_info.h"
#include "sync/field_error.h"
#include "sync/text_fold.h"

namespace fieldsync::server {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbers.
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const std::string message(status.message());

  google::rpc::Status details;
  details.set_code(static_cast<int>(code));
  // A proto3 string is UTF-8; a message may quote input that was not.
  details.set_message(EscapeInvalidUtf8(message));
  // The reason first: every refusal has one (ErrorInfoOf).
  details.add_details()->PackFrom(ErrorInfoOf(status));
  if (absl::optional<absl::Cord> bad_request =
          status.GetPayload(absl::string_view(kBadRequestTypeUrl.data(),
                                              kBadRequestTypeUrl.size()))) {
    google::protobuf::Any* any = details.add_details();
    any->set_type_url(std::string(kBadRequestTypeUrl));
    any->set_value(std::string(*bad_request));
  }
  return grpc::Status(code, message, details.SerializeAsString());
}

}  // namespace fieldsync::server
