#include "client-sdk/admin_client.h"

#include <grpcpp/grpcpp.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client-sdk/catalogue_client.h"

namespace fieldsync::client {

AdminClient::AdminClient(const std::string& target, std::string secret,
                         std::chrono::milliseconds timeout, const TlsFiles& tls)
    : secret_(std::move(secret)),
      timeout_(timeout),
      stub_(v1::AdminService::NewStub(
          grpc::CreateChannel(target, ChannelCredentials(tls)))) {}

std::unique_ptr<grpc::ClientContext> AdminClient::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout_);
  context->AddMetadata("authorization", "Bearer " + secret_);
  return context;
}

absl::StatusOr<v1::EnrollDeviceResponse> AdminClient::Enroll(
    const v1::EnrollDeviceRequest& request) {
  v1::EnrollDeviceResponse response;
  grpc::Status s = stub_->EnrollDevice(NewContext().get(), request, &response);
  if (!s.ok()) return FromGrpcStatus(s);
  return response;
}

template <typename Request, typename Response, typename Method>
absl::StatusOr<Response> AdminClient::Call(Method method,
                                           const Request& request) {
  Response response;
  grpc::Status s =
      (stub_.get()->*method)(NewContext().get(), request, &response);
  if (!s.ok()) return FromGrpcStatus(s);
  return response;
}

absl::StatusOr<v1::ListDevicesResponse> AdminClient::ListDevicesPage(
    const v1::ListDevicesRequest& request) {
  return Call<v1::ListDevicesRequest, v1::ListDevicesResponse>(
      &v1::AdminService::Stub::ListDevices, request);
}

absl::StatusOr<v1::ListAuditEventsResponse> AdminClient::ListAuditEventsPage(
    const v1::ListAuditEventsRequest& request) {
  return Call<v1::ListAuditEventsRequest, v1::ListAuditEventsResponse>(
      &v1::AdminService::Stub::ListAuditEvents, request);
}

absl::StatusOr<v1::ListDevicesResponse> AdminClient::ListDevices() {
  v1::ListDevicesRequest request;
  v1::ListDevicesResponse all;
  do {
    absl::StatusOr<v1::ListDevicesResponse> page = ListDevicesPage(request);
    if (!page.ok()) return page.status();
    for (v1::Device& device : *page->mutable_devices()) {
      *all.add_devices() = std::move(device);
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  return all;
}

absl::StatusOr<v1::CreateModelResponse> AdminClient::CreateModel(
    const v1::CreateModelRequest& request) {
  return Call<v1::CreateModelRequest, v1::CreateModelResponse>(
      &v1::AdminService::Stub::CreateModel, request);
}

absl::StatusOr<v1::UpdateModelResponse> AdminClient::UpdateModel(
    const v1::UpdateModelRequest& request) {
  return Call<v1::UpdateModelRequest, v1::UpdateModelResponse>(
      &v1::AdminService::Stub::UpdateModel, request);
}

absl::StatusOr<v1::AssignModelAreasResponse> AdminClient::AssignModelAreas(
    const v1::AssignModelAreasRequest& request) {
  return Call<v1::AssignModelAreasRequest, v1::AssignModelAreasResponse>(
      &v1::AdminService::Stub::AssignModelAreas, request);
}

absl::StatusOr<v1::ArchiveModelResponse> AdminClient::ArchiveModel(
    const v1::ArchiveModelRequest& request) {
  return Call<v1::ArchiveModelRequest, v1::ArchiveModelResponse>(
      &v1::AdminService::Stub::ArchiveModel, request);
}

absl::StatusOr<v1::RestoreModelResponse> AdminClient::RestoreModel(
    const v1::RestoreModelRequest& request) {
  return Call<v1::RestoreModelRequest, v1::RestoreModelResponse>(
      &v1::AdminService::Stub::RestoreModel, request);
}

absl::StatusOr<v1::ModelHistoryResponse> AdminClient::ModelHistoryPage(
    const v1::ModelHistoryRequest& request) {
  return Call<v1::ModelHistoryRequest, v1::ModelHistoryResponse>(
      &v1::AdminService::Stub::ModelHistory, request);
}

absl::StatusOr<v1::ModelHistoryResponse> AdminClient::ModelHistory(
    const std::string& id) {
  v1::ModelHistoryRequest request;
  request.set_id(id);
  v1::ModelHistoryResponse all;
  do {
    absl::StatusOr<v1::ModelHistoryResponse> page = ModelHistoryPage(request);
    if (!page.ok()) return page.status();
    for (v1::ModelVersion& version : *page->mutable_versions()) {
      *all.add_versions() = std::move(version);
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  return all;
}

absl::StatusOr<v1::ResolveConflictResponse> AdminClient::ResolveConflict(
    const v1::ResolveConflictRequest& request) {
  return Call<v1::ResolveConflictRequest, v1::ResolveConflictResponse>(
      &v1::AdminService::Stub::ResolveConflict, request);
}

absl::StatusOr<v1::DecideProposalResponse> AdminClient::DecideProposal(
    const v1::DecideProposalRequest& request) {
  return Call<v1::DecideProposalRequest, v1::DecideProposalResponse>(
      &v1::AdminService::Stub::DecideProposal, request);
}

absl::StatusOr<v1::ReviewReportResponse> AdminClient::ReviewReport(
    const v1::ReviewReportRequest& request) {
  return Call<v1::ReviewReportRequest, v1::ReviewReportResponse>(
      &v1::AdminService::Stub::ReviewReport, request);
}

absl::StatusOr<v1::LockYearResponse> AdminClient::LockYear(
    const std::string& year) {
  v1::LockYearRequest request;
  request.set_year(year);
  return Call<v1::LockYearRequest, v1::LockYearResponse>(
      &v1::AdminService::Stub::LockYear, request);
}

absl::StatusOr<v1::ApplyAreaChangesResponse> AdminClient::ApplyAreaChanges(
    const v1::ApplyAreaChangesRequest& request) {
  return Call<v1::ApplyAreaChangesRequest, v1::ApplyAreaChangesResponse>(
      &v1::AdminService::Stub::ApplyAreaChanges, request);
}

absl::StatusOr<v1::BackupResponse> AdminClient::Backup(
    const v1::BackupRequest& request) {
  return Call<v1::BackupRequest, v1::BackupResponse>(
      &v1::AdminService::Stub::Backup, request);
}

absl::StatusOr<v1::WhoAmIResponse> AdminClient::WhoAmI() {
  v1::WhoAmIResponse response;
  grpc::Status s =
      stub_->WhoAmI(NewContext().get(), v1::WhoAmIRequest(), &response);
  if (!s.ok()) return FromGrpcStatus(s);
  return response;
}

absl::StatusOr<v1::ListConflictsResponse> AdminClient::ListConflicts(
    const v1::ListConflictsRequest& request) {
  v1::ListConflictsResponse response;
  grpc::Status s = stub_->ListConflicts(NewContext().get(), request, &response);
  if (!s.ok()) return FromGrpcStatus(s);
  return response;
}

absl::StatusOr<v1::RevokeDeviceResponse> AdminClient::Revoke(
    const std::string& id) {
  v1::RevokeDeviceRequest request;
  request.set_device_id(id);
  v1::RevokeDeviceResponse response;
  grpc::Status s = stub_->RevokeDevice(NewContext().get(), request, &response);
  if (!s.ok()) return FromGrpcStatus(s);
  return response;
}

absl::StatusOr<v1::RotateDeviceSecretResponse> AdminClient::Rotate(
    const std::string& id) {
  v1::RotateDeviceSecretRequest request;
  request.set_device_id(id);
  v1::RotateDeviceSecretResponse response;
  grpc::Status s =
      stub_->RotateDeviceSecret(NewContext().get(), request, &response);
  if (!s.ok()) return FromGrpcStatus(s);
  return response;
}

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return absl::NotFoundError(absl::StrCat(
        "cannot read the secret file \"", path, "\": ", std::strerror(errno)));
  }
  std::string line;
  std::getline(file, line);
  std::string secret(absl::StripAsciiWhitespace(line));
  if (secret.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the secret file \"", path, "\" is empty"));
  }
  return secret;
}

}  // namespace fieldsync::client
