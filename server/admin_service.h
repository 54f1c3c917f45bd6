// AdminService: device enrolment for province admins. Each handler checks
// the caller through the Authenticator and runs on the reader executor
// (enrolment writes to the store).
#ifndef FIELDSYNC_SERVER_ADMIN_SERVICE_H_
#define FIELDSYNC_SERVER_ADMIN_SERVICE_H_

#include "fieldsync/v1/admin_service.grpc.pb.h"
#include "server/audit_log.h"
#include "server/authenticator.h"
#include "server/device_registry.h"
#include "server/executor.h"

namespace fieldsync::server {

class AdminService final : public v1::AdminService::CallbackService {
 public:
  // Everything must outlive the service.
  AdminService(const Authenticator* auth, DeviceRegistry* registry,
               Executor* executor, AuditLog* audit)
      : auth_(auth), registry_(registry), executor_(executor), audit_(audit) {}

  grpc::ServerUnaryReactor* EnrollDevice(
      grpc::CallbackServerContext* context,
      const v1::EnrollDeviceRequest* request,
      v1::EnrollDeviceResponse* response) override;
  grpc::ServerUnaryReactor* RevokeDevice(
      grpc::CallbackServerContext* context,
      const v1::RevokeDeviceRequest* request,
      v1::RevokeDeviceResponse* response) override;
  grpc::ServerUnaryReactor* RotateDeviceSecret(
      grpc::CallbackServerContext* context,
      const v1::RotateDeviceSecretRequest* request,
      v1::RotateDeviceSecretResponse* response) override;
  grpc::ServerUnaryReactor* ListDevices(
      grpc::CallbackServerContext* context,
      const v1::ListDevicesRequest* request,
      v1::ListDevicesResponse* response) override;

 private:
  // Runs `work(caller)` for a province admin, on the executor.
  template <typename Response, typename Work>
  grpc::ServerUnaryReactor* AsAdmin(grpc::CallbackServerContext* context,
                                    Response* response, Work work);

  const Authenticator* auth_;
  DeviceRegistry* registry_;
  Executor* executor_;
  AuditLog* audit_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_ADMIN_SERVICE_H_
