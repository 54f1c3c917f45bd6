#include "server/device_registry.h"

#include <sodium.h>

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/page_token.h"
#include "sync/access.h"
#include "sync/error_info.h"
#include "sync/field_error.h"
#include "sync/keys.h"
#include "sync/status_macros.h"
#include "sync/text_fold.h"
#include "sync/tuning.h"

namespace fieldsync::server {
namespace {

// "fs1.<device id>.<43 characters of base64url>": the device id lets the
// server find the hash to compare without scanning every device. A
// development server's secrets start "fs1dev." so people see what they are
// (the device record's mark is what the server checks).
constexpr char kSecretPrefix[] = "fs1";
constexpr char kDevSecretPrefix[] = "fs1dev";
constexpr size_t kSecretBytes = 32;

std::string RandomBytes(size_t n) {
  std::string bytes(n, '\0');
  randombytes_buf(bytes.data(), n);
  return bytes;
}

std::string HashSecret(const std::string& secret) {
  std::string hash(crypto_generichash_BYTES, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(hash.data()), hash.size(),
                     reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  return hash;
}

v1::Device WithoutHash(v1::Device device) {
  device.clear_secret_hash();
  return device;
}

absl::Status Unauthenticated() {
  return WithReason(absl::UnauthenticatedError(
                        "the device secret is not valid; ask a province "
                        "admin to enrol the device"),
                    reason::kSecretInvalid);
}

absl::Status Revoked(const std::string& device_id) {
  return WithReason(absl::UnauthenticatedError(
                        absl::StrCat("device \"", device_id, "\" was revoked")),
                    reason::kDeviceRevoked);
}

}  // namespace

absl::StatusOr<std::unique_ptr<DeviceRegistry>> DeviceRegistry::Load(
    Store* store, ServerReplica* replica, ClockSource* clock,
    bool development) {
  if (sodium_init() < 0) return absl::InternalError("libsodium cannot start");
  std::unique_ptr<DeviceRegistry> registry(
      new DeviceRegistry(store, replica, clock, development));
  std::vector<v1::Device> stored;
  FS_RETURN_IF_ERROR(
      store->ScanDocs(DocKeyPrefix("device"), [&](const v1::Document& doc) {
        if (doc.has_device()) stored.push_back(doc.device());
        return true;
      }));
  absl::MutexLock lock(&registry->mu_);
  for (v1::Device& device : stored) {
    const std::string id = device.id();
    registry->devices_[id] = std::move(device);
  }
  return registry;
}

absl::StatusOr<std::pair<v1::Device, std::string>> DeviceRegistry::Enroll(
    const std::string& name, v1::Role role, const std::string& area_id,
    v1::AuditEvent audit) {
  if (name.empty() || name.size() > 200 || !IsValidUtf8(name)) {
    return InvalidFieldError("name", "must be 1 to 200 bytes of UTF-8 text");
  }
  FS_RETURN_IF_ERROR(CheckRoleArea(role, area_id, *replica_->areas(),
                                   DateInVietnam(clock_->NowMicros())));
  v1::Device device;
  device.set_id(absl::StrCat("dev-", absl::BytesToHexString(RandomBytes(6))));
  device.set_name(name);
  device.set_role(role);
  device.set_area_id(area_id);
  device.set_enrolled_at_micros(clock_->NowMicros());
  const std::string secret = MintSecret(device);

  FS_RETURN_IF_ERROR(Save(device, std::move(audit)));
  return std::make_pair(WithoutHash(device), secret);
}

absl::StatusOr<v1::Device> DeviceRegistry::Revoke(const std::string& device_id,
                                                  v1::AuditEvent audit) {
  FS_ASSIGN_OR_RETURN(v1::Device device,
                      FindActive(device_id, "is already revoked"));
  device.set_revoked_at_micros(clock_->NowMicros());
  FS_RETURN_IF_ERROR(Save(device, std::move(audit)));
  if (listener_) listener_(device.id());
  return WithoutHash(device);
}

absl::StatusOr<std::pair<v1::Device, std::string>> DeviceRegistry::Rotate(
    const std::string& device_id, v1::AuditEvent audit) {
  FS_ASSIGN_OR_RETURN(
      v1::Device device,
      FindActive(device_id, "is revoked; enrol it again instead"));
  const std::string secret = MintSecret(device);
  FS_RETURN_IF_ERROR(Save(device, std::move(audit)));
  if (listener_) listener_(device.id());
  return std::make_pair(WithoutHash(device), secret);
}

std::string DeviceRegistry::MintSecret(v1::Device& device) const {
  const std::string secret = absl::StrCat(
      development_ ? kDevSecretPrefix : kSecretPrefix, ".", device.id(), ".",
      absl::WebSafeBase64Escape(RandomBytes(kSecretBytes)));
  device.set_secret_hash(HashSecret(secret));
  device.set_development(development_);
  return secret;
}

absl::StatusOr<v1::Device> DeviceRegistry::FindActive(
    const std::string& device_id, std::string_view if_revoked) const {
  absl::MutexLock lock(&mu_);
  auto it = devices_.find(device_id);
  if (it == devices_.end()) {
    return absl::NotFoundError(
        absl::StrCat("no enrolled device \"", device_id, "\""));
  }
  if (it->second.revoked_at_micros() != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("device \"", device_id, "\" ", std::string(if_revoked)));
  }
  return it->second;
}

absl::Status DeviceRegistry::Save(const v1::Device& device,
                                  v1::AuditEvent audit) {
  v1::Document doc;
  doc.set_key(DocKey("device", device.id()));
  *doc.mutable_device() = device;
  audit.set_target(device.id());
  FS_RETURN_IF_ERROR(
      replica_->WriteServerDocument(std::move(doc), std::move(audit)).status());
  absl::MutexLock lock(&mu_);
  devices_[device.id()] = device;
  return absl::OkStatus();
}

absl::StatusOr<v1::ListDevicesResponse> DeviceRegistry::List(
    const v1::ListDevicesRequest& request) const {
  FS_ASSIGN_OR_RETURN(
      const int page_size,
      PageSizeOf(request.page_size(), tuning::kDefaultDevicePageSize,
                 tuning::kMaxDevicePageSize));
  FS_ASSIGN_OR_RETURN(const PageStart start, PageStartOf(request));
  // Device documents are written before the registry keeps them (Save),
  // so the store holds every device the registry knows.
  const std::string prefix = DocKeyPrefix("device");
  const std::string after =
      start.after.empty() ? "" : DocKey("device", start.after);
  v1::ListDevicesResponse out;
  size_t bytes = 0;
  std::string last;
  bool more = false;
  FS_RETURN_IF_ERROR(
      store_->ScanDocsAfter(prefix, after, [&](const v1::Document& doc) {
        if (!doc.has_device()) return true;
        if (out.devices_size() == page_size ||
            bytes >= tuning::kMaxListPageBytes) {
          more = true;
          return false;
        }
        v1::Device* device = out.add_devices();
        *device = WithoutHash(doc.device());
        bytes += device->ByteSizeLong();
        last = device->id();
        return true;
      }));
  if (more) out.set_next_page_token(NextPageToken(start, last));
  return out;
}

std::optional<v1::Device> DeviceRegistry::Find(
    const std::string& device_id) const {
  absl::MutexLock lock(&mu_);
  auto it = devices_.find(device_id);
  if (it == devices_.end()) return std::nullopt;
  return WithoutHash(it->second);
}

absl::StatusOr<v1::Device> DeviceRegistry::Authenticate(
    const std::string& secret, std::string* secret_hash) const {
  std::vector<std::string> parts = absl::StrSplit(secret, '.');
  if (parts.size() != 3 ||
      (parts[0] != kSecretPrefix && parts[0] != kDevSecretPrefix)) {
    return Unauthenticated();
  }
  const std::string hash = HashSecret(secret);
  absl::MutexLock lock(&mu_);
  auto it = devices_.find(parts[1]);
  if (it == devices_.end() || it->second.secret_hash().size() != hash.size() ||
      sodium_memcmp(it->second.secret_hash().data(), hash.data(),
                    hash.size()) != 0) {
    return Unauthenticated();
  }
  if (it->second.revoked_at_micros() != 0) return Revoked(it->first);
  if (it->second.development() && !development_) {
    return WithReason(
        absl::UnauthenticatedError(absl::StrCat(
            "device \"", it->first,
            "\" was enrolled by a server in development mode "
            "(--dev-device-header), whose secrets are not valid outside it; "
            "ask a province admin to enrol the device again")),
        reason::kDevelopmentSecret);
  }
  if (secret_hash != nullptr) *secret_hash = hash;
  return WithoutHash(it->second);
}

absl::Status DeviceRegistry::StillValid(const std::string& device_id,
                                        const std::string& secret_hash) const {
  absl::MutexLock lock(&mu_);
  auto it = devices_.find(device_id);
  if (it == devices_.end() || it->second.revoked_at_micros() != 0) {
    return Revoked(device_id);
  }
  if (it->second.secret_hash() != secret_hash) {
    return WithReason(
        absl::UnauthenticatedError(absl::StrCat(
            "device \"", device_id,
            "\": its secret was replaced; authenticate with the new one")),
        reason::kSecretReplaced);
  }
  return absl::OkStatus();
}

bool DeviceRegistry::Contains(const std::string& device_id) const {
  absl::MutexLock lock(&mu_);
  return devices_.contains(device_id);
}

bool DeviceRegistry::empty() const {
  absl::MutexLock lock(&mu_);
  return devices_.empty();
}

size_t DeviceRegistry::CountEnrolled(bool development) const {
  absl::MutexLock lock(&mu_);
  return std::count_if(devices_.begin(), devices_.end(), [&](const auto& d) {
    return d.second.development() == development;
  });
}

}  // namespace fieldsync::server
