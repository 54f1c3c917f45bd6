// A client of the server's MonitoringService: totals, completeness, the
// catalogue's overview and the appendix tables for district and province
// officers, as the CLI uses them. Errors come back as absl::Status with the
// server's field violations attached (sync/field_error.h).
#ifndef FIELDSYNC_CLIENT_SDK_MONITORING_CLIENT_H_
#define FIELDSYNC_CLIENT_SDK_MONITORING_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "client-sdk/channel.h"
#include "fieldsync/v1/monitoring_service.grpc.pb.h"

namespace fieldsync::client {

class MonitoringClient {
 public:
  // `target` is "HOST:PORT", `secret` the device's enrolment secret; each
  // call waits at most `timeout`.
  MonitoringClient(const std::string& target, std::string secret,
                   std::chrono::milliseconds timeout = std::chrono::seconds(30),
                   const TlsFiles& tls = {});

  // Every row of `request`'s totals, following page tokens: one response
  // with all of them.
  absl::StatusOr<v1::GetTotalsResponse> GetAllTotals(
      v1::GetTotalsRequest request);

  // Every row of `request`'s completeness, following page tokens: one
  // response with all of them.
  absl::StatusOr<v1::GetCompletenessResponse> GetAllCompleteness(
      v1::GetCompletenessRequest request);

  absl::StatusOr<v1::GetOverviewResponse> GetOverview(
      const v1::GetOverviewRequest& request);

  // Every row of `request`'s appendix export, following page tokens: one
  // response with all of them.
  absl::StatusOr<v1::ExportAppendixResponse> ExportAllAppendix(
      v1::ExportAppendixRequest request);

 private:
  // The call's deadline and the device's secret.
  void Prepare(grpc::ClientContext& context) const;

  std::string secret_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::MonitoringService::Stub> stub_;
};

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_MONITORING_CLIENT_H_
