// A client of the server's read API (CatalogueService) and health check, as
// the CLI and tablet apps use it. Errors come back as absl::Status with the
// server's field violations attached (sync/field_error.h).
#ifndef FIELDSYNC_CLIENT_SDK_CATALOGUE_CLIENT_H_
#define FIELDSYNC_CLIENT_SDK_CATALOGUE_CLIENT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client-sdk/channel.h"
#include "fieldsync/v1/catalogue_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace fieldsync::client {

// Called after each page with the number of models received so far and the
// total the server reported.
using PageProgress = std::function<void(int received, int total)>;

class CatalogueClient {
 public:
  // `target` is "HOST:PORT"; `secret` the device's enrolment secret (the
  // read API needs one; the health check does not). Each call waits at most
  // `timeout`.
  explicit CatalogueClient(
      const std::string& target, std::string secret = "",
      std::chrono::milliseconds timeout = std::chrono::seconds(10),
      const TlsFiles& tls = {});

  // Every model matching `request`'s filters, following page tokens.
  absl::StatusOr<std::vector<v1::Model>> ListAllModels(
      v1::ListModelsRequest request, const PageProgress& progress = nullptr);

  // One page, as the server sent it.
  absl::StatusOr<v1::ListModelsResponse> ListModels(
      const v1::ListModelsRequest& request);

  absl::StatusOr<v1::GetModelResponse> GetModel(const std::string& id);
  absl::StatusOr<v1::ListAreasResponse> ListAreas(
      const v1::ListAreasRequest& request);
  absl::StatusOr<v1::ListSectorsResponse> ListSectors();

  // SERVING, NOT_SERVING, … for `service` ("" = the whole server).
  absl::StatusOr<grpc::health::v1::HealthCheckResponse::ServingStatus>
  CheckHealth(const std::string& service = "");

  const std::string& target() const { return target_; }

 private:
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  std::string target_;
  std::string secret_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CatalogueService::Stub> catalogue_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

// Translates a gRPC status into absl, with the error details (the
// google.rpc.ErrorInfo and BadRequest in its google.rpc.Status) back as its
// payloads: sync/error_info.h and sync/field_error.h read them. The one
// place the client does this.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_CATALOGUE_CLIENT_H_
