#include "server/admin_service.h"

#include "server/grpc_status.h"

namespace fieldsync::server {

template <typename Response, typename Work>
grpc::ServerUnaryReactor* AdminService::AsAdmin(
    grpc::CallbackServerContext* context, Response* response, Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Caller> caller = auth_->Authenticate(*context);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  if (caller->role != v1::ROLE_PROVINCE_ADMIN) {
    audit_->Record("refused", caller->device_id, "",
                   "device administration is for province admins",
                   context->peer());
    reactor->Finish(ToGrpcStatus(absl::PermissionDeniedError(
        "device administration is for province admins")));
    return reactor;
  }
  executor_->Submit([reactor, response, work, actor = caller->device_id] {
    FinishUnary<Response>(reactor, work(actor), response);
  });
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::EnrollDevice(
    grpc::CallbackServerContext* context,
    const v1::EnrollDeviceRequest* request,
    v1::EnrollDeviceResponse* response) {
  return AsAdmin(context, response,
                 [this, request](const std::string& actor)
                     -> absl::StatusOr<v1::EnrollDeviceResponse> {
                   auto enrolled = registry_->Enroll(
                       request->name(), request->role(), request->area_id());
                   if (!enrolled.ok()) return enrolled.status();
                   audit_->Record("enroll", actor, enrolled->first.id(),
                                  v1::Role_Name(request->role()) + " at " +
                                      request->area_id() + ": " +
                                      request->name());
                   v1::EnrollDeviceResponse out;
                   *out.mutable_device() = enrolled->first;
                   out.set_secret(enrolled->second);
                   return out;
                 });
}

grpc::ServerUnaryReactor* AdminService::RevokeDevice(
    grpc::CallbackServerContext* context,
    const v1::RevokeDeviceRequest* request,
    v1::RevokeDeviceResponse* response) {
  return AsAdmin(context, response,
                 [this, request](const std::string& actor)
                     -> absl::StatusOr<v1::RevokeDeviceResponse> {
                   auto revoked = registry_->Revoke(request->device_id());
                   if (!revoked.ok()) return revoked.status();
                   audit_->Record("revoke", actor, revoked->id(), "");
                   v1::RevokeDeviceResponse out;
                   *out.mutable_device() = *revoked;
                   return out;
                 });
}

grpc::ServerUnaryReactor* AdminService::RotateDeviceSecret(
    grpc::CallbackServerContext* context,
    const v1::RotateDeviceSecretRequest* request,
    v1::RotateDeviceSecretResponse* response) {
  return AsAdmin(context, response,
                 [this, request](const std::string& actor)
                     -> absl::StatusOr<v1::RotateDeviceSecretResponse> {
                   auto rotated = registry_->Rotate(request->device_id());
                   if (!rotated.ok()) return rotated.status();
                   audit_->Record("rotate", actor, rotated->first.id(), "");
                   v1::RotateDeviceSecretResponse out;
                   *out.mutable_device() = rotated->first;
                   out.set_secret(rotated->second);
                   return out;
                 });
}

grpc::ServerUnaryReactor* AdminService::ListDevices(
    grpc::CallbackServerContext* context,
    const v1::ListDevicesRequest* /*request*/,
    v1::ListDevicesResponse* response) {
  return AsAdmin(context, response,
                 [this](const std::string& actor)
                     -> absl::StatusOr<v1::ListDevicesResponse> {
                   audit_->Record("list_devices", actor, "", "");
                   v1::ListDevicesResponse out;
                   for (v1::Device& d : registry_->List()) {
                     *out.add_devices() = std::move(d);
                   }
                   return out;
                 });
}

}  // namespace fieldsync::server
