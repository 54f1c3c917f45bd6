#include "server/device_identity.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace fieldsync::server {
namespace {

std::optional<std::string> Header(const grpc::CallbackServerContext& context,
                                  const char* name) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(name);
  if (it == metadata.end()) return std::nullopt;
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

absl::StatusOr<DeviceIdentity> IdentifyDevice(
    const grpc::CallbackServerContext& context, bool dev_device_header) {
  if (!dev_device_header) {
    return absl::UnauthenticatedError(
        "device authentication is not set up on this server yet; a "
        "development server started with --dev-device-header takes the "
        "device from the x-fieldsync-device header");
  }
  std::optional<std::string> device = Header(context, kDeviceHeader);
  if (!device.has_value() || device->empty()) {
    return absl::UnauthenticatedError(
        absl::StrCat("missing header ", kDeviceHeader, " (the device id)"));
  }
  DeviceIdentity identity{*device, {}};
  std::optional<std::string> scopes = Header(context, kScopesHeader);
  if (!scopes.has_value() || scopes->empty()) {
    identity.scopes = {"province"};
  } else {
    identity.scopes = absl::StrSplit(*scopes, ',', absl::SkipWhitespace());
  }
  return identity;
}

}  // namespace fieldsync::server
