// MonitoringService over gRPC's callback API: totals and completeness from
// the live aggregates, the catalogue's overview and the appendix tables for
// district and province officers. Each call is
// authenticated, checked against sync/access.h (an area the caller may not
// read answers as an unknown one), bounded and paged, and audited. The work
// runs on the reader executor, never on a callback thread.
#ifndef FIELDSYNC_SERVER_MONITORING_SERVICE_H_
#define FIELDSYNC_SERVER_MONITORING_SERVICE_H_

#include "fieldsync/v1/monitoring_service.grpc.pb.h"
#include "server/audit_log.h"
#include "server/authenticator.h"
#include "server/call_tracker.h"
#include "server/catalogue_cache.h"
#include "server/executor.h"
#include "sync/clock.h"
#include "sync/store.h"

namespace fieldsync::server {

// Paging limits of GetTotals and GetCompleteness.
inline constexpr int kDefaultTotalsPageSize = 100;
inline constexpr int kMaxTotalsPageSize = 1000;

struct MonitoringServiceOptions {
  // Everything must outlive the service.
  const Authenticator* auth = nullptr;
  CatalogueCache* catalogue = nullptr;
  Store* store = nullptr;
  Executor* readers = nullptr;
  CallTracker* calls = nullptr;
  AuditLog* audit = nullptr;
  ClockSource* clock = nullptr;
};

class MonitoringService final : public v1::MonitoringService::CallbackService {
 public:
  explicit MonitoringService(MonitoringServiceOptions options)
      : options_(options) {}

  grpc::ServerUnaryReactor* GetTotals(grpc::CallbackServerContext* context,
                                      const v1::GetTotalsRequest* request,
                                      v1::GetTotalsResponse* response) override;
  grpc::ServerUnaryReactor* GetCompleteness(
      grpc::CallbackServerContext* context,
      const v1::GetCompletenessRequest* request,
      v1::GetCompletenessResponse* response) override;
  grpc::ServerUnaryReactor* GetOverview(
      grpc::CallbackServerContext* context,
      const v1::GetOverviewRequest* request,
      v1::GetOverviewResponse* response) override;
  grpc::ServerUnaryReactor* ExportAppendix(
      grpc::CallbackServerContext* context,
      const v1::ExportAppendixRequest* request,
      v1::ExportAppendixResponse* response) override;

 private:
  absl::StatusOr<v1::GetTotalsResponse> Totals(
      const Caller& caller, const v1::GetTotalsRequest& request) const;
  absl::StatusOr<v1::GetCompletenessResponse> CompletenessFor(
      const Caller& caller, const v1::GetCompletenessRequest& request) const;
  absl::StatusOr<v1::GetOverviewResponse> OverviewFor(
      const Caller& caller, const v1::GetOverviewRequest& request) const;
  absl::StatusOr<v1::ExportAppendixResponse> Appendix(
      const Caller& caller, const v1::ExportAppendixRequest& request) const;
  // Authenticates, audits as `kind` on `target`, and runs `answer(caller)`
  // on the reader executor.
  template <typename Response, typename Answer>
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                  Response* response, std::string kind,
                                  std::string target, std::string detail,
                                  Answer answer);

  MonitoringServiceOptions options_;
};

// Today's date in Vietnam (UTC+7), YYYY-MM-DD: the default as_of, and the
// bound of a period or date in the future.
std::string TodayInVietnam(ClockSource& clock);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_MONITORING_SERVICE_H_
