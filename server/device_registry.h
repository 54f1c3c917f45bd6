// Enrolled devices and their secrets. A secret is shown once, at enrolment;
// the server keeps only its BLAKE2b hash (libsodium) and compares in
// constant time. Devices are documents ("device/<id>", scope "admin"), so
// they persist like everything else; a pull never sends them. A server in
// development mode (--dev-device-header) marks the devices it enrols and
// their secrets ("fs1dev."), and a server not in that mode refuses them: a
// secret made where anyone could claim any device is no credential.
// Thread-safe.
#ifndef FIELDSYNC_SERVER_DEVICE_REGISTRY_H_
#define FIELDSYNC_SERVER_DEVICE_REGISTRY_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "fieldsync/v1/admin_service.pb.h"
#include "fieldsync/v1/device.pb.h"
#include "sync/area_tree.h"
#include "sync/clock.h"
#include "sync/server_replica.h"

namespace fieldsync::server {

class DeviceRegistry {
 public:
  // Loads the enrolled devices. Everything must outlive the registry.
  // `development`: the server runs with --dev-device-header.
  static absl::StatusOr<std::unique_ptr<DeviceRegistry>> Load(
      Store* store, ServerReplica* replica, ClockSource* clock,
      bool development = false);

  // Each change is written with `audit` in its batch, its target set to the
  // device's id.

  // Enrols a device; returns it (without its hash) and its one-time secret.
  // InvalidArgument naming the field for a bad name, role or area (one
  // that no longer exists today names its successor).
  absl::StatusOr<std::pair<v1::Device, std::string>> Enroll(
      const std::string& name, v1::Role role, const std::string& area_id,
      v1::AuditEvent audit) ABSL_LOCKS_EXCLUDED(mu_);

  // Revokes a device: its next call is refused. NotFound / FailedPrecondition
  // (already revoked) name the device.
  absl::StatusOr<v1::Device> Revoke(const std::string& device_id,
                                    v1::AuditEvent audit)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Replaces a device's secret; the old one stops working at once. Returns
  // the device and its new one-time secret.
  absl::StatusOr<std::pair<v1::Device, std::string>> Rotate(
      const std::string& device_id, v1::AuditEvent audit)
      ABSL_LOCKS_EXCLUDED(mu_);

  // One page of the enrolled devices, without hashes, in id order
  // (AIP-158: page_size, page_token, next_page_token), read from the store
  // from where the token left off. InvalidArgument naming the field for a
  // bad page size or token.
  absl::StatusOr<v1::ListDevicesResponse> List(
      const v1::ListDevicesRequest& request) const;

  // The device `device_id`, without its hash; nullopt if it was never
  // enrolled.
  std::optional<v1::Device> Find(const std::string& device_id) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // The active device whose secret this is; Unauthenticated otherwise
  // (unknown, malformed or revoked), without saying which part was wrong
  // beyond "revoked" or "enrolled in development mode". `secret_hash`, if
  // given, receives what StillValid takes to tell whether this secret still
  // works.
  absl::StatusOr<v1::Device> Authenticate(
      const std::string& secret, std::string* secret_hash = nullptr) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // Unauthenticated, saying why, once `device_id` was revoked or its secret
  // (whose hash Authenticate gave) replaced: for streams opened before.
  absl::Status StillValid(const std::string& device_id,
                          const std::string& secret_hash) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // Called with a device's id after it was revoked or given a new secret
  // (to end its open streams). Set once, before any call is served.
  void SetInvalidationListener(
      std::function<void(const std::string& device_id)> listener) {
    listener_ = std::move(listener);
  }

  // Whether `device_id` was ever enrolled (revoked or not).
  bool Contains(const std::string& device_id) const ABSL_LOCKS_EXCLUDED(mu_);

  bool empty() const ABSL_LOCKS_EXCLUDED(mu_);

  // How many devices, revoked ones included, were enrolled by a server in
  // development mode (`development`) or by one not in it.
  size_t CountEnrolled(bool development) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  DeviceRegistry(Store* store, ServerReplica* replica, ClockSource* clock,
                 bool development)
      : store_(store),
        replica_(replica),
        clock_(clock),
        development_(development) {}

  // A new secret for `device`, marked as development mode's if this server
  // is in it; its hash is set on `device`.
  std::string MintSecret(v1::Device& device) const;

  // The device, NotFound if unknown, FailedPrecondition "<id> <if_revoked>"
  // if revoked.
  absl::StatusOr<v1::Device> FindActive(const std::string& device_id,
                                        std::string_view if_revoked) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // Writes the device's document with `audit` and keeps it in memory.
  absl::Status Save(const v1::Device& device, v1::AuditEvent audit)
      ABSL_LOCKS_EXCLUDED(mu_);

  Store* const store_;
  ServerReplica* const replica_;
  ClockSource* const clock_;
  const bool development_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, v1::Device> devices_ ABSL_GUARDED_BY(mu_);
  std::function<void(const std::string&)> listener_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_DEVICE_REGISTRY_H_
