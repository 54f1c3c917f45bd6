// Precise errors for bad input: an InvalidArgument status that carries, as a
// payload, a google.rpc.BadRequest naming each offending field and value.
// The server turns the payload into gRPC error details (server/grpc_status.h),
// the SDK back into a payload; the CLI prints it.
#ifndef FIELDSYNC_SYNC_FIELD_ERROR_H_
#define FIELDSYNC_SYNC_FIELD_ERROR_H_

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "google/rpc/error_details.pb.h"

namespace fieldsync {

// The payload type URL under which the BadRequest is attached: the one gRPC
// libraries look for in error details.
inline constexpr std::string_view kBadRequestTypeUrl =
    "type.googleapis.com/google.rpc.BadRequest";

using FieldViolation = google::rpc::BadRequest::FieldViolation;

// InvalidArgument with message "<field>: <description>" and one violation.
absl::Status InvalidFieldError(std::string_view field,
                               std::string_view description);

// The same with another code (NotFound, AlreadyExists, FailedPrecondition)
// for refusals that are still about one field's value.
absl::Status FieldError(absl::StatusCode code, std::string_view field,
                        std::string_view description);

// The violations attached to `status`; empty if there are none.
std::vector<FieldViolation> FieldViolations(const absl::Status& status);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_FIELD_ERROR_H_
