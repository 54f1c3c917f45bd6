// Who is calling. Until device enrolment exists (tokens, roles), a
// development mode takes the device id and its scopes from request headers.
// It is off unless the server is started with --dev-device-header, and the
// server says so loudly in its log when it is on.
#ifndef FIELDSYNC_SERVER_DEVICE_IDENTITY_H_
#define FIELDSYNC_SERVER_DEVICE_IDENTITY_H_

#include <grpcpp/server_context.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace fieldsync::server {

// Headers of the development mode.
inline constexpr char kDeviceHeader[] = "x-fieldsync-device";
inline constexpr char kScopesHeader[] = "x-fieldsync-scopes";

struct DeviceIdentity {
  std::string device_id;
  // What the device reads; "province" when the header is absent.
  std::vector<std::string> scopes;
};

// The caller's identity; UNAUTHENTICATED naming what is missing.
absl::StatusOr<DeviceIdentity> IdentifyDevice(
    const grpc::CallbackServerContext& context, bool dev_device_header);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_DEVICE_IDENTITY_H_
