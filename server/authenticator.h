// Who is calling, checked in one place for every RPC that needs it (health
// and reflection stay open). A device presents its enrolment secret as
// "authorization: Bearer <secret>"; its role and area give what it reads
// and writes (sync/access.h). A development server started with
// --dev-device-header also takes, from a call without a secret, the device
// from x-fieldsync-device and its scopes from x-fieldsync-scopes,
// unrestricted — never in production. A server with mutual TLS also checks
// that the client certificate names the device the secret authenticated
// (server/client_certificate.h).
#ifndef FIELDSYNC_SERVER_AUTHENTICATOR_H_
#define FIELDSYNC_SERVER_AUTHENTICATOR_H_

#include <grpcpp/server_context.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/audit_log.h"
#include "server/auth_throttle.h"
#include "server/device_registry.h"
#include "server/refusal_log.h"
#include "sync/access.h"
#include "sync/clock.h"
#include "sync/tuning.h"

namespace fieldsync::server {

struct Caller {
  std::string device_id;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  // The area the device works for today: the one it was enrolled for, or
  // the area that was merged into since; empty in development mode.
  std::string area_id;
  std::vector<std::string> read_scopes;
  // What it may write; nullopt: anything (development mode).
  std::optional<WritePolicy> policy;
  // The name given at enrolment (who the person is), for authorship.
  std::string name;
  // Which of the device's secrets it presented (DeviceRegistry::StillValid):
  // its streams end when that secret is replaced.
  std::string secret_hash;
  // The caller's network address, as gRPC reports it (for the audit trail).
  std::string peer;
};

class Authenticator {
 public:
  // `registry`, `replica` (whose hierarchy decides each caller's scopes)
  // and `clock` must outlive the authenticator. `bind_client_certificates`:
  // the server requires client certificates (--tls-client-ca), and each
  // must name its device.
  Authenticator(const DeviceRegistry* registry, const ServerReplica* replica,
                ClockSource* clock, AuditLog* audit, bool dev_device_header,
                bool bind_client_certificates = false)
      : registry_(registry),
        replica_(replica),
        clock_(clock),
        dev_(dev_device_header),
        bind_certificates_(bind_client_certificates),
        throttle_(DefaultAuthThrottleLimits()),
        refusals_(audit,
                  std::chrono::seconds(tuning::kRefusalSummaryIntervalSeconds),
                  tuning::kRefusalSummaryEntries) {}

  // The caller; Unauthenticated naming what is missing or wrong.
  absl::StatusOr<Caller> Authenticate(
      const grpc::CallbackServerContext& context) const;

  // Unauthenticated, saying why, once the caller's device was revoked or
  // its secret replaced (checked on every message of a long stream).
  absl::Status StillValid(const Caller& caller) const;

  bool dev_mode() const { return dev_; }

 private:
  absl::StatusOr<Caller> FromHeaders(
      const grpc::CallbackServerContext& context) const;

  absl::StatusOr<Caller> FromSecret(const std::string& secret,
                                    const std::string& peer) const;

  const DeviceRegistry* registry_;
  const ServerReplica* replica_;
  ClockSource* clock_;
  const bool dev_;
  const bool bind_certificates_;
  // Guessing is slowed per address and per device; mutable (as
  // `refusals_`): Authenticate is const.
  mutable AuthThrottle throttle_;
  // Refused calls are audited as counts.
  mutable RefusalLog refusals_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_AUTHENTICATOR_H_
