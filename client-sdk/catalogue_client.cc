#include "client-sdk/catalogue_client.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/cord.h"
#include "google/rpc/status.pb.h"

namespace fieldsync::client {

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
  google::rpc::Status details;
  if (status.error_details().empty() ||
      !details.ParseFromString(status.error_details())) {
    return result;
  }
  // Each detail back as the payload it was on the server's status, under
  // its type URL (google.rpc.BadRequest, google.rpc.ErrorInfo): what
  // FieldViolations and ErrorInfoOf read.
  for (const google::protobuf::Any& any : details.details()) {
    result.SetPayload(any.type_url(), absl::Cord(any.value()));
  }
  return result;
}

CatalogueClient::CatalogueClient(const std::string& target, std::string secret,
                                 std::chrono::milliseconds timeout,
                                 const TlsFiles& tls)
    : target_(target),
      secret_(std::move(secret)),
      timeout_(timeout),
      channel_(grpc::CreateChannel(target, ChannelCredentials(tls))),
      catalogue_(v1::CatalogueService::NewStub(channel_)),
      health_(grpc::health::v1::Health::NewStub(channel_)) {}

std::unique_ptr<grpc::ClientContext> CatalogueClient::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout_);
  if (!secret_.empty()) {
    context->AddMetadata("authorization", "Bearer " + secret_);
  }
  return context;
}

absl::StatusOr<v1::ListModelsResponse> CatalogueClient::ListModels(
    const v1::ListModelsRequest& request) {
  v1::ListModelsResponse response;
  grpc::Status status =
      catalogue_->ListModels(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

absl::StatusOr<std::vector<v1::Model>> CatalogueClient::ListAllModels(
    v1::ListModelsRequest request, const PageProgress& progress) {
  std::vector<v1::Model> models;
  request.clear_page_token();
  while (true) {
    absl::StatusOr<v1::ListModelsResponse> page = ListModels(request);
    if (!page.ok()) return page.status();
    for (v1::Model& m : *page->mutable_models()) models.push_back(std::move(m));
    if (progress) progress(static_cast<int>(models.size()), page->total_size());
    if (page->next_page_token().empty()) return models;
    request.set_page_token(page->next_page_token());
  }
}

absl::StatusOr<v1::GetModelResponse> CatalogueClient::GetModel(
    const std::string& id) {
  v1::GetModelRequest request;
  request.set_id(id);
  v1::GetModelResponse response;
  grpc::Status status =
      catalogue_->GetModel(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

absl::StatusOr<v1::ListAreasResponse> CatalogueClient::ListAreas(
    const v1::ListAreasRequest& request) {
  v1::ListAreasResponse response;
  grpc::Status status =
      catalogue_->ListAreas(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

absl::StatusOr<v1::ListSectorsResponse> CatalogueClient::ListSectors() {
  v1::ListSectorsResponse response;
  grpc::Status status = catalogue_->ListSectors(
      NewContext().get(), v1::ListSectorsRequest(), &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

absl::StatusOr<grpc::health::v1::HealthCheckResponse::ServingStatus>
CatalogueClient::CheckHealth(const std::string& service) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = health_->Check(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response.status();
}

}  // namespace fieldsync::client
