#include "server/admin_service.h"

#include "server/grpc_status.h"
#include "sync/access.h"

namespace fieldsync::server {

template <typename Response, typename Allowed, typename Work>
grpc::ServerUnaryReactor* AdminService::AsCaller(
    grpc::CallbackServerContext* context, Response* response, Allowed allowed,
    std::string_view refusal, Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Caller> caller = auth_->Authenticate(*context);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  if (!allowed(caller->role)) {
    audit_->Record("refused", caller->device_id, "", std::string(refusal),
                   context->peer());
    reactor->Finish(
        ToGrpcStatus(absl::PermissionDeniedError(std::string(refusal))));
    return reactor;
  }
  executor_->Submit([reactor, response, work, caller = *std::move(caller)] {
    FinishUnary<Response>(reactor, work(caller), response);
  });
  return reactor;
}

template <typename Response, typename Work>
grpc::ServerUnaryReactor* AdminService::AsAdmin(
    grpc::CallbackServerContext* context, Response* response, Work work) {
  return AsCaller(
      context, response,
      [](v1::Role role) { return role == v1::ROLE_PROVINCE_ADMIN; },
      "device administration is for province admins",
      [work](const Caller& caller) { return work(caller.device_id); });
}

template <typename Response, typename Work>
grpc::ServerUnaryReactor* AdminService::AsEditor(
    grpc::CallbackServerContext* context, Response* response, Work work) {
  return AsCaller(
      context, response,
      [](v1::Role role) {
        return role == v1::ROLE_PROVINCE_ADMIN ||
               role == v1::ROLE_DISTRICT_OFFICER;
      },
      "the catalogue is edited by province admins and, for their district's "
      "models, district officers",
      work);
}

grpc::ServerUnaryReactor* AdminService::CreateModel(
    grpc::CallbackServerContext* context, const v1::CreateModelRequest* request,
    v1::CreateModelResponse* response) {
  return AsEditor(context, response, [this, request](const Caller& caller) {
    return catalogue_->Create(caller, *request);
  });
}

grpc::ServerUnaryReactor* AdminService::UpdateModel(
    grpc::CallbackServerContext* context, const v1::UpdateModelRequest* request,
    v1::UpdateModelResponse* response) {
  return AsEditor(context, response, [this, request](const Caller& caller) {
    return catalogue_->Update(caller, *request);
  });
}

grpc::ServerUnaryReactor* AdminService::ArchiveModel(
    grpc::CallbackServerContext* context,
    const v1::ArchiveModelRequest* request,
    v1::ArchiveModelResponse* response) {
  return AsEditor(context, response, [this, request](const Caller& caller) {
    return catalogue_->Archive(caller, *request);
  });
}

grpc::ServerUnaryReactor* AdminService::RestoreModel(
    grpc::CallbackServerContext* context,
    const v1::RestoreModelRequest* request,
    v1::RestoreModelResponse* response) {
  return AsEditor(context, response, [this, request](const Caller& caller) {
    return catalogue_->Restore(caller, *request);
  });
}

grpc::ServerUnaryReactor* AdminService::AssignModelAreas(
    grpc::CallbackServerContext* context,
    const v1::AssignModelAreasRequest* request,
    v1::AssignModelAreasResponse* response) {
  return AsEditor(context, response, [this, request](const Caller& caller) {
    return catalogue_->AssignAreas(caller, *request);
  });
}

grpc::ServerUnaryReactor* AdminService::ModelHistory(
    grpc::CallbackServerContext* context,
    const v1::ModelHistoryRequest* request,
    v1::ModelHistoryResponse* response) {
  return AsCaller(
      context, response,
      [](v1::Role role) { return role != v1::ROLE_COMMUNE_OFFICER; },
      "a model's history is for district officers, province admins and "
      "auditors",
      [this, request](const Caller& caller) {
        return catalogue_->History(caller, *request);
      });
}

grpc::ServerUnaryReactor* AdminService::WhoAmI(
    grpc::CallbackServerContext* context, const v1::WhoAmIRequest* /*request*/,
    v1::WhoAmIResponse* response) {
  return AsCaller(
      context, response, [](v1::Role) { return true; }, "",
      [this](const Caller& caller) -> absl::StatusOr<v1::WhoAmIResponse> {
        v1::WhoAmIResponse out;
        if (std::optional<v1::Device> d = registry_->Find(caller.device_id)) {
          *out.mutable_device() = *std::move(d);
        } else {  // development mode's header
          out.mutable_device()->set_id(caller.device_id);
          out.mutable_device()->set_role(caller.role);
        }
        for (const std::string& scope : caller.read_scopes) {
          out.add_read_scopes(scope);
        }
        out.set_working_area_id(caller.area_id);
        return out;
      });
}

grpc::ServerUnaryReactor* AdminService::ListConflicts(
    grpc::CallbackServerContext* context,
    const v1::ListConflictsRequest* request,
    v1::ListConflictsResponse* response) {
  return AsCaller(
      context, response,
      [](v1::Role role) { return role != v1::ROLE_COMMUNE_OFFICER; },
      "the review queue is for district officers, province admins and "
      "auditors",
      [this, request](const Caller& caller) {
        return review_->List(caller, *request);
      });
}

template <typename Response, typename Work>
grpc::ServerUnaryReactor* AdminService::AsReviewer(
    grpc::CallbackServerContext* context, Response* response, Work work) {
  return AsCaller(
      context, response,
      [](v1::Role role) {
        return role == v1::ROLE_PROVINCE_ADMIN ||
               role == v1::ROLE_DISTRICT_OFFICER;
      },
      "reviewing is for district officers and province admins", work);
}

grpc::ServerUnaryReactor* AdminService::ResolveConflict(
    grpc::CallbackServerContext* context,
    const v1::ResolveConflictRequest* request,
    v1::ResolveConflictResponse* response) {
  return AsReviewer(context, response, [this, request](const Caller& caller) {
    return review_->Resolve(caller, *request);
  });
}

grpc::ServerUnaryReactor* AdminService::DecideProposal(
    grpc::CallbackServerContext* context,
    const v1::DecideProposalRequest* request,
    v1::DecideProposalResponse* response) {
  return AsReviewer(context, response, [this, request](const Caller& caller) {
    return review_->Decide(caller, *request);
  });
}

grpc::ServerUnaryReactor* AdminService::ReviewReport(
    grpc::CallbackServerContext* context,
    const v1::ReviewReportRequest* request,
    v1::ReviewReportResponse* response) {
  return AsReviewer(context, response, [this, request](const Caller& caller) {
    return review_->Review(caller, *request);
  });
}

grpc::ServerUnaryReactor* AdminService::LockYear(
    grpc::CallbackServerContext* context, const v1::LockYearRequest* request,
    v1::LockYearResponse* response) {
  return AsCaller(
      context, response,
      [](v1::Role role) { return role == v1::ROLE_PROVINCE_ADMIN; },
      "locking a year is for province admins",
      [this, request](const Caller& caller) {
        return review_->Lock(caller, *request);
      });
}

grpc::ServerUnaryReactor* AdminService::Backup(
    grpc::CallbackServerContext* context, const v1::BackupRequest* request,
    v1::BackupResponse* response) {
  // The copy runs on the reader executor, like the other long reads; pushes
  // go through the writer and do not wait for it (server/backup_admin.h).
  return AsCaller(
      context, response, [](v1::Role role) { return MayBackUp(role); },
      "backing up the database is for province admins",
      [this,
       request](const Caller& caller) -> absl::StatusOr<v1::BackupResponse> {
        if (backup_ == nullptr) {
          return absl::UnimplementedError("this server offers no backups");
        }
        return backup_->Run(caller, *request);
      });
}

grpc::ServerUnaryReactor* AdminService::ApplyAreaChanges(
    grpc::CallbackServerContext* context,
    const v1::ApplyAreaChangesRequest* request,
    v1::ApplyAreaChangesResponse* response) {
  return AsCaller(
      context, response,
      [](v1::Role role) { return role == v1::ROLE_PROVINCE_ADMIN; },
      "changing the hierarchy is for province admins",
      [this, request](const Caller& caller) {
        return areas_->Apply(caller, *request);
      });
}

grpc::ServerUnaryReactor* AdminService::EnrollDevice(
    grpc::CallbackServerContext* context,
    const v1::EnrollDeviceRequest* request,
    v1::EnrollDeviceResponse* response) {
  return AsAdmin(
      context, response,
      [this, request](const std::string& actor)
          -> absl::StatusOr<v1::EnrollDeviceResponse> {
        auto enrolled = registry_->Enroll(
            request->name(), request->role(), request->area_id(),
            audit_->Event("enroll", actor, "",
                          v1::Role_Name(request->role()) + " at " +
                              request->area_id() + ": " + request->name()));
        if (!enrolled.ok()) return enrolled.status();
        v1::EnrollDeviceResponse out;
        *out.mutable_device() = enrolled->first;
        out.set_secret(enrolled->second);
        out.set_server_certificate_sha256(server_sha256_);
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
                   auto revoked = registry_->Revoke(
                       request->device_id(),
                       audit_->Event("revoke", actor, "", ""));
                   if (!revoked.ok()) return revoked.status();
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
                   auto rotated = registry_->Rotate(
                       request->device_id(),
                       audit_->Event("rotate", actor, "", ""));
                   if (!rotated.ok()) return rotated.status();
                   v1::RotateDeviceSecretResponse out;
                   *out.mutable_device() = rotated->first;
                   out.set_secret(rotated->second);
                   out.set_server_certificate_sha256(server_sha256_);
                   return out;
                 });
}

grpc::ServerUnaryReactor* AdminService::ListAuditEvents(
    grpc::CallbackServerContext* context,
    const v1::ListAuditEventsRequest* request,
    v1::ListAuditEventsResponse* response) {
  return AsCaller(context, response, &MayReadAuditTrail,
                  "the audit trail is read by province admins and auditors",
                  [this, request](const Caller& caller)
                      -> absl::StatusOr<v1::ListAuditEventsResponse> {
                    // Who read the trail, and with what filter, is on the trail
                    // too.
                    v1::ListAuditEventsRequest filter = *request;
                    filter.clear_page_token();
                    audit_->Record("list_audit", caller.device_id, "",
                                   filter.ShortDebugString());
                    return trail_->List(*request);
                  });
}

grpc::ServerUnaryReactor* AdminService::ListDevices(
    grpc::CallbackServerContext* context, const v1::ListDevicesRequest* request,
    v1::ListDevicesResponse* response) {
  return AsAdmin(context, response,
                 [this, request](const std::string& actor)
                     -> absl::StatusOr<v1::ListDevicesResponse> {
                   audit_->Record("list_devices", actor, "", "");
                   return registry_->List(*request);
                 });
}

}  // namespace fieldsync::server
