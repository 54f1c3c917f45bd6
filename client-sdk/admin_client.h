// A client of AdminService for the `fieldsync admin` commands (device
// enrolment, listing, revocation; the review queue) and a device's WhoAmI,
// authenticated with the caller's secret.
#ifndef FIELDSYNC_CLIENT_SDK_ADMIN_CLIENT_H_
#define FIELDSYNC_CLIENT_SDK_ADMIN_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "client-sdk/channel.h"
#include "fieldsync/v1/admin_service.grpc.pb.h"

namespace fieldsync::client {

class AdminClient {
 public:
  AdminClient(const std::string& target, std::string secret,
              std::chrono::milliseconds timeout = std::chrono::seconds(10),
              const TlsFiles& tls = {});

  absl::StatusOr<v1::EnrollDeviceResponse> Enroll(
      const v1::EnrollDeviceRequest& request);
  // Every enrolled device, following page tokens: one response with all.
  absl::StatusOr<v1::ListDevicesResponse> ListDevices();
  // One page of them.
  // One page of the audit trail.
  absl::StatusOr<v1::ListAuditEventsResponse> ListAuditEventsPage(
      const v1::ListAuditEventsRequest& request);
  absl::StatusOr<v1::ListDevicesResponse> ListDevicesPage(
      const v1::ListDevicesRequest& request);
  absl::StatusOr<v1::RevokeDeviceResponse> Revoke(const std::string& id);
  absl::StatusOr<v1::RotateDeviceSecretResponse> Rotate(const std::string& id);
  absl::StatusOr<v1::WhoAmIResponse> WhoAmI();
  absl::StatusOr<v1::CreateModelResponse> CreateModel(
      const v1::CreateModelRequest& request);
  absl::StatusOr<v1::UpdateModelResponse> UpdateModel(
      const v1::UpdateModelRequest& request);
  absl::StatusOr<v1::ArchiveModelResponse> ArchiveModel(
      const v1::ArchiveModelRequest& request);
  absl::StatusOr<v1::RestoreModelResponse> RestoreModel(
      const v1::RestoreModelRequest& request);
  absl::StatusOr<v1::AssignModelAreasResponse> AssignModelAreas(
      const v1::AssignModelAreasRequest& request);
  // Every version of a catalogue entry, following page tokens: one
  // response with all.
  absl::StatusOr<v1::ModelHistoryResponse> ModelHistory(const std::string& id);
  // One page of them.
  absl::StatusOr<v1::ModelHistoryResponse> ModelHistoryPage(
      const v1::ModelHistoryRequest& request);
  absl::StatusOr<v1::ResolveConflictResponse> ResolveConflict(
      const v1::ResolveConflictRequest& request);
  absl::StatusOr<v1::DecideProposalResponse> DecideProposal(
      const v1::DecideProposalRequest& request);
  absl::StatusOr<v1::ReviewReportResponse> ReviewReport(
      const v1::ReviewReportRequest& request);
  absl::StatusOr<v1::LockYearResponse> LockYear(const std::string& year);
  absl::StatusOr<v1::ApplyAreaChangesResponse> ApplyAreaChanges(
      const v1::ApplyAreaChangesRequest& request);
  // A backup into a folder on the server's machine (mind the timeout).
  absl::StatusOr<v1::BackupResponse> Backup(const v1::BackupRequest& request);
  absl::StatusOr<v1::ListConflictsResponse> ListConflicts(
      const v1::ListConflictsRequest& request);

 private:
  std::unique_ptr<grpc::ClientContext> NewContext() const;
  // One unary call of the stub: the response, or the server's status.
  template <typename Request, typename Response, typename Method>
  absl::StatusOr<Response> Call(Method method, const Request& request);

  std::string secret_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<v1::AdminService::Stub> stub_;
};

// Reads a secret from `path` (its first line); NotFound/PermissionDenied
// naming the path.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path);

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_ADMIN_CLIENT_H_
