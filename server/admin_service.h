// AdminService: device enrolment for province admins, the review queue for
// reviewers, WhoAmI for every device. Each handler checks the caller
// through the Authenticator and runs on the reader executor (enrolment
// writes to the store).
#ifndef FIELDSYNC_SERVER_ADMIN_SERVICE_H_
#define FIELDSYNC_SERVER_ADMIN_SERVICE_H_

#include <string>
#include <utility>

#include "fieldsync/v1/admin_service.grpc.pb.h"
#include "server/area_admin.h"
#include "server/audit_log.h"
#include "server/audit_trail.h"
#include "server/authenticator.h"
#include "server/backup_admin.h"
#include "server/catalogue_admin.h"
#include "server/device_registry.h"
#include "server/executor.h"
#include "server/review_admin.h"

namespace fieldsync::server {

class AdminService final : public v1::AdminService::CallbackService {
 public:
  // Everything must outlive the service. `backup` may be null (no backups,
  // in tests that build the service by hand). `server_sha256`: the pin of the
  // certificate the server made for itself, given with each new secret
  // (empty if it serves none).
  AdminService(const Authenticator* auth, DeviceRegistry* registry,
               CatalogueAdmin* catalogue, ReviewAdmin* review, AreaAdmin* areas,
               Executor* executor, AuditLog* audit, const AuditTrail* trail,
               std::string server_sha256 = "", BackupAdmin* backup = nullptr)
      : auth_(auth),
        registry_(registry),
        catalogue_(catalogue),
        review_(review),
        areas_(areas),
        executor_(executor),
        audit_(audit),
        trail_(trail),
        server_sha256_(std::move(server_sha256)),
        backup_(backup) {}

  grpc::ServerUnaryReactor* ListAuditEvents(
      grpc::CallbackServerContext* context,
      const v1::ListAuditEventsRequest* request,
      v1::ListAuditEventsResponse* response) override;
  grpc::ServerUnaryReactor* CreateModel(
      grpc::CallbackServerContext* context,
      const v1::CreateModelRequest* request,
      v1::CreateModelResponse* response) override;
  grpc::ServerUnaryReactor* UpdateModel(
      grpc::CallbackServerContext* context,
      const v1::UpdateModelRequest* request,
      v1::UpdateModelResponse* response) override;
  grpc::ServerUnaryReactor* ArchiveModel(
      grpc::CallbackServerContext* context,
      const v1::ArchiveModelRequest* request,
      v1::ArchiveModelResponse* response) override;
  grpc::ServerUnaryReactor* RestoreModel(
      grpc::CallbackServerContext* context,
      const v1::RestoreModelRequest* request,
      v1::RestoreModelResponse* response) override;
  grpc::ServerUnaryReactor* AssignModelAreas(
      grpc::CallbackServerContext* context,
      const v1::AssignModelAreasRequest* request,
      v1::AssignModelAreasResponse* response) override;
  grpc::ServerUnaryReactor* ModelHistory(
      grpc::CallbackServerContext* context,
      const v1::ModelHistoryRequest* request,
      v1::ModelHistoryResponse* response) override;

  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* context,
                                   const v1::WhoAmIRequest* request,
                                   v1::WhoAmIResponse* response) override;
  grpc::ServerUnaryReactor* ListConflicts(
      grpc::CallbackServerContext* context,
      const v1::ListConflictsRequest* request,
      v1::ListConflictsResponse* response) override;
  grpc::ServerUnaryReactor* ResolveConflict(
      grpc::CallbackServerContext* context,
      const v1::ResolveConflictRequest* request,
      v1::ResolveConflictResponse* response) override;
  grpc::ServerUnaryReactor* DecideProposal(
      grpc::CallbackServerContext* context,
      const v1::DecideProposalRequest* request,
      v1::DecideProposalResponse* response) override;
  grpc::ServerUnaryReactor* ReviewReport(
      grpc::CallbackServerContext* context,
      const v1::ReviewReportRequest* request,
      v1::ReviewReportResponse* response) override;
  grpc::ServerUnaryReactor* ApplyAreaChanges(
      grpc::CallbackServerContext* context,
      const v1::ApplyAreaChangesRequest* request,
      v1::ApplyAreaChangesResponse* response) override;
  grpc::ServerUnaryReactor* Backup(grpc::CallbackServerContext* context,
                                   const v1::BackupRequest* request,
                                   v1::BackupResponse* response) override;
  grpc::ServerUnaryReactor* LockYear(grpc::CallbackServerContext* context,
                                     const v1::LockYearRequest* request,
                                     v1::LockYearResponse* response) override;

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
  // Runs `work(caller)` for a reviewer (district or province).
  template <typename Response, typename Work>
  grpc::ServerUnaryReactor* AsReviewer(grpc::CallbackServerContext* context,
                                       Response* response, Work work);
  // Runs `work(caller)` for a catalogue editor (district or province).
  template <typename Response, typename Work>
  grpc::ServerUnaryReactor* AsEditor(grpc::CallbackServerContext* context,
                                     Response* response, Work work);
  // Runs `work(caller)` on the executor for a caller whose role `allowed`
  // accepts; PermissionDenied saying `refusal` otherwise.
  template <typename Response, typename Allowed, typename Work>
  grpc::ServerUnaryReactor* AsCaller(grpc::CallbackServerContext* context,
                                     Response* response, Allowed allowed,
                                     std::string_view refusal, Work work);

  const Authenticator* auth_;
  DeviceRegistry* registry_;
  CatalogueAdmin* catalogue_;
  ReviewAdmin* review_;
  AreaAdmin* areas_;
  Executor* executor_;
  AuditLog* audit_;
  const AuditTrail* trail_;
  const std::string server_sha256_;
  BackupAdmin* const backup_;  // null: backups are not offered
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_ADMIN_SERVICE_H_
