// Why a call or a change was refused, as a stable code: a google.rpc.ErrorInfo
// carried as a payload of the absl::Status (under its type URL), beside the
// BadRequest of a field error (field_error.h). The reason is an UPPER_SNAKE
// word a program tests and a client translates into its user's language;
// the status message stays English, for logs. The server sends it in the
// error details (server/grpc_status.h); the SDK puts it back on the status.
//
// Reasons (domain "fieldsync.v1"; docs/sync-protocol.md, "Errors"):
// - the name of the status code ("NOT_FOUND", "INVALID_ARGUMENT", ...)
//   when nothing more precise is attached (ErrorInfoOf);
// - the refusals of authentication below (namespace reason);
// - a change refused by the merge: the name of its MutationReason without
//   its prefix ("STATUS_TRANSITION", "OUTSIDE_SCOPE", ...;
//   mutation_reason.h), also on a call that names an area that no longer
//   exists ("AREA_SUPERSEDED", metadata "successor_area_id").
// A refusal that must not tell an item outside the caller's area from a
// missing one uses the same status for both, so the same ErrorInfo.
#ifndef FIELDSYNC_SYNC_ERROR_INFO_H_
#define FIELDSYNC_SYNC_ERROR_INFO_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "google/rpc/error_details.pb.h"

namespace fieldsync {

// ErrorInfo.domain of every FieldSync reason.
inline constexpr std::string_view kErrorDomain = "fieldsync.v1";

namespace reason {
// UNAUTHENTICATED: no "authorization: Bearer <secret>" header.
inline constexpr std::string_view kSecretMissing = "SECRET_MISSING";
// UNAUTHENTICATED: no enrolled device has this secret.
inline constexpr std::string_view kSecretInvalid = "SECRET_INVALID";
// UNAUTHENTICATED: the device was revoked: it must be enrolled again.
inline constexpr std::string_view kDeviceRevoked = "DEVICE_REVOKED";
// UNAUTHENTICATED: the device was given a new secret since the call began.
inline constexpr std::string_view kSecretReplaced = "SECRET_REPLACED";
// UNAUTHENTICATED: a secret minted in development mode, not valid outside.
inline constexpr std::string_view kDevelopmentSecret = "DEVELOPMENT_SECRET";
// UNAUTHENTICATED: the client certificate does not name the device.
inline constexpr std::string_view kCertificateMismatch = "CERTIFICATE_MISMATCH";
// RESOURCE_EXHAUSTED: too many wrong secrets; metadata
// "retry_after_seconds" says when to try again.
inline constexpr std::string_view kAuthThrottled = "AUTH_THROTTLED";
// INVALID_ARGUMENT: the client speaks another protocol version; metadata
// "server_version" names the server's (sync/sync_session.h).
inline constexpr std::string_view kProtocolVersion = "PROTOCOL_VERSION";
// INVALID_ARGUMENT: a push batch over the limit; metadata
// "max_batch_bytes" gives it.
inline constexpr std::string_view kBatchTooLarge = "BATCH_TOO_LARGE";
// INVALID_ARGUMENT: a batch holds another device's mutation; the field
// violation names it (mutations[i].device_id).
inline constexpr std::string_view kNotCallingDevice = "NOT_CALLING_DEVICE";
}  // namespace reason

// The payload type URL under which the ErrorInfo is attached.
inline constexpr std::string_view kErrorInfoTypeUrl =
    "type.googleapis.com/google.rpc.ErrorInfo";

// `status` with ErrorInfo{reason, kErrorDomain, metadata} attached (one
// attached before is replaced). An OK status is returned as it is.
absl::Status WithReason(
    absl::Status status, std::string_view reason,
    const std::map<std::string, std::string>& metadata = {});

// The ErrorInfo attached to `status`, if any.
std::optional<google::rpc::ErrorInfo> AttachedErrorInfo(
    const absl::Status& status);

// The ErrorInfo attached to `status`, or one whose reason is the name of
// its code ("NOT_FOUND"); for a refused status, never an empty reason.
google::rpc::ErrorInfo ErrorInfoOf(const absl::Status& status);

// ErrorInfoOf(status).reason().
std::string ReasonOf(const absl::Status& status);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_ERROR_INFO_H_
