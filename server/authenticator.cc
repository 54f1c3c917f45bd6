#include "server/authenticator.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/client_certificate.h"
#include "sync/error_info.h"

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

absl::StatusOr<Caller> Authenticator::FromHeaders(
    const grpc::CallbackServerContext& context) const {
  std::optional<std::string> device = Header(context, "x-fieldsync-device");
  if (!device.has_value() || device->empty()) {
    return absl::UnauthenticatedError(
        "missing header x-fieldsync-device (development mode)");
  }
  Caller caller{.device_id = *device,
                .role = v1::ROLE_PROVINCE_ADMIN,
                .read_scopes = {"province"},
                .policy = std::nullopt};
  std::optional<std::string> scopes = Header(context, "x-fieldsync-scopes");
  if (scopes.has_value() && !scopes->empty()) {
    caller.read_scopes = absl::StrSplit(*scopes, ',', absl::SkipWhitespace());
  }
  return caller;
}

absl::StatusOr<Caller> Authenticator::Authenticate(
    const grpc::CallbackServerContext& context) const {
  std::optional<std::string> header = Header(context, "authorization");
  // A development server also takes the device from a header, but a real
  // secret still identifies a real device.
  if (dev_ && !header.has_value()) {
    absl::StatusOr<Caller> caller = FromHeaders(context);
    if (caller.ok()) caller->peer = context.peer();
    return caller;
  }
  if (!header.has_value() || !absl::StartsWith(*header, "Bearer ")) {
    refusals_.Count(ThrottleAddress(context.peer()), "", RefusalKind::kNoSecret,
                    "no device secret");
    return WithReason(absl::UnauthenticatedError(
                          "no device secret: send \"authorization: Bearer "
                          "<secret>\" with the secret given at enrolment"),
                      reason::kSecretMissing);
  }
  absl::StatusOr<Caller> caller =
      FromSecret(header->substr(sizeof("Bearer ") - 1), context.peer());
  if (caller.ok() && bind_certificates_) {
    absl::Status bound =
        CheckCertificateNamesDevice(*context.auth_context(), caller->device_id);
    if (!bound.ok()) {
      // Counted with wrong secrets: the secret is not this client's.
      refusals_.Count(ThrottleAddress(context.peer()), caller->device_id,
                      RefusalKind::kWrongSecret, std::string(bound.message()));
      return bound;
    }
  }
  if (caller.ok()) caller->peer = context.peer();
  return caller;
}

absl::StatusOr<Caller> Authenticator::FromSecret(
    const std::string& secret, const std::string& peer) const {
  // The device a secret claims to be ("fs1.<device>.<random>").
  const size_t first = secret.find('.');
  const size_t second = secret.find('.', first + 1);
  const std::string claimed =
      first == std::string::npos || second == std::string::npos
          ? ""
          : secret.substr(first + 1, second - first - 1);
  // Only enrolled devices are counted by id: made-up ids key nothing.
  const std::string device_id = registry_->Contains(claimed) ? claimed : "";
  const std::string address = ThrottleAddress(peer);
  const int64_t now = clock_->NowMicros();
  if (absl::Status s = throttle_.Check(address, device_id, now); !s.ok()) {
    refusals_.Count(address, device_id, RefusalKind::kThrottled,
                    std::string(s.message()));
    return s;
  }
  std::string secret_hash;
  absl::StatusOr<v1::Device> device =
      registry_->Authenticate(secret, &secret_hash);
  if (!device.ok()) {
    throttle_.Failed(address, device_id, now);
    refusals_.Count(address, device_id, RefusalKind::kWrongSecret,
                    std::string(device.status().message()));
    return device.status();
  }
  throttle_.Succeeded(address, device->id());
  // A device's scope follows a merge of its area: the officer of a former
  // commune works for the commune it became part of.
  const std::shared_ptr<const AreaTree> areas = replica_->areas();
  const std::string area_id =
      WorkingAreaOf(device->area_id(), *areas, DateInVietnam(now));
  return Caller{.device_id = device->id(),
                .role = device->role(),
                .area_id = area_id,
                .read_scopes = ReadScopes(device->role(), area_id, *areas),
                .policy = WritePolicyFor(device->role(), area_id, *areas),
                .name = device->name(),
                .secret_hash = std::move(secret_hash)};
}

absl::Status Authenticator::StillValid(const Caller& caller) const {
  // Development callers (no policy) are not enrolled devices.
  if (dev_ && !caller.policy.has_value()) return absl::OkStatus();
  return registry_->StillValid(caller.device_id, caller.secret_hash);
}

}  // namespace fieldsync::server
