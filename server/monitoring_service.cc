#include "server/monitoring_service.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "server/grpc_status.h"
#include "server/overview.h"
#include "server/page_token.h"
#include "sync/access.h"
#include "sync/completeness.h"
#include "sync/field_error.h"
#include "sync/status_macros.h"
#include "sync/totals.h"

namespace fieldsync::server {

std::string TodayInVietnam(ClockSource& clock) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMicros(clock.NowMicros()),
                          absl::FixedTimeZone(7 * 3600));
}

namespace {

// The key a row is paged by: rows are ordered by it.
std::string RowKey(const v1::TotalsRow& row) {
  return absl::StrJoin({row.group_id(), row.indicator(), row.unit()},
                       std::string(1, '\0'));
}

}  // namespace

absl::StatusOr<v1::GetTotalsResponse> MonitoringService::Totals(
    const Caller& caller, const v1::GetTotalsRequest& request) const {
  FS_ASSIGN_OR_RETURN(std::shared_ptr<const CatalogueIndex> index,
                      options_.catalogue->Current());
  const AreaTree& areas = index->areas();
  // Outside the caller's areas reads exactly as unknown.
  if (caller.policy.has_value() && !request.area_id().empty() &&
      !MayReadFiguresOf(caller.role, caller.area_id, request.area_id(),
                        areas)) {
    return UnknownAreaError(request.area_id());
  }
  if (request.page_size() < 0 || request.page_size() > kMaxTotalsPageSize) {
    return InvalidFieldError(
        "page_size",
        absl::StrCat(request.page_size(), " is outside the allowed range 0..",
                     kMaxTotalsPageSize));
  }
  TotalsCatalogue catalogue{
      .model = [&](std::string_view id) { return index->FindModel(id); },
      .sector = [&](std::string_view slug) { return index->FindSector(slug); }};
  FS_ASSIGN_OR_RETURN(TotalsQuery query,
                      CheckTotalsRequest(request, areas, catalogue,
                                         TodayInVietnam(*options_.clock)));
  FS_ASSIGN_OR_RETURN(const PageStart page, PageStartOf(request));
  const uint64_t fingerprint = page.fingerprint;
  const std::string& after = page.after;
  FS_ASSIGN_OR_RETURN(std::vector<v1::TotalsRow> rows,
                      ComputeTotals(*options_.store, areas, catalogue, query));
  const int page_size =
      request.page_size() == 0 ? kDefaultTotalsPageSize : request.page_size();
  v1::GetTotalsResponse response;
  response.set_as_of(query.as_of);
  response.set_area_name(areas.FullNameOn(query.area_id, query.as_of));
  for (v1::TotalsRow& row : rows) {
    if (!after.empty() && RowKey(row) <= after) continue;
    if (response.rows_size() == page_size) {
      v1::PageToken token;
      token.set_after_id(RowKey(response.rows(page_size - 1)));
      token.set_filter_fingerprint(fingerprint);
      response.set_next_page_token(EncodePageToken(token));
      break;
    }
    *response.add_rows() = std::move(row);
  }
  return response;
}

absl::StatusOr<v1::GetCompletenessResponse> MonitoringService::CompletenessFor(
    const Caller& caller, const v1::GetCompletenessRequest& request) const {
  FS_ASSIGN_OR_RETURN(std::shared_ptr<const CatalogueIndex> index,
                      options_.catalogue->Current());
  const AreaTree& areas = index->areas();
  if (request.page_size() < 0 || request.page_size() > kMaxTotalsPageSize) {
    return InvalidFieldError(
        "page_size",
        absl::StrCat(request.page_size(), " is outside the allowed range 0..",
                     kMaxTotalsPageSize));
  }
  // An officer asks within its own area unless it names one; a model or an
  // area outside the caller's reads exactly as an unknown one.
  v1::GetCompletenessRequest asked = request;
  const bool scoped = caller.policy.has_value();
  if (scoped && asked.area_id().empty() &&
      (caller.role == v1::ROLE_DISTRICT_OFFICER ||
       caller.role == v1::ROLE_COMMUNE_OFFICER)) {
    asked.set_area_id(caller.area_id);
  }
  const ModelVisibility visible =
      scoped ? VisibleTo(caller.read_scopes) : nullptr;
  FS_ASSIGN_OR_RETURN(
      CompletenessQuery query,
      CheckCompletenessRequest(
          asked, areas,
          [&](std::string_view id) -> const v1::Model* {
            const v1::Model* m = index->FindModel(id);
            return m != nullptr && visible && !visible(*m) ? nullptr : m;
          },
          [&](std::string_view area) {
            return !scoped || MayReadFiguresOf(caller.role, caller.area_id,
                                               std::string(area), areas);
          },
          TodayInVietnam(*options_.clock)));
  // The fingerprint is of the question as asked, so a page token stays with
  // it; rows are paged by area id (each area is one row).
  FS_ASSIGN_OR_RETURN(const PageStart page, PageStartOf(request));
  const uint64_t fingerprint = page.fingerprint;
  const std::string& after = page.after;
  const v1::Model& model = *index->FindModel(query.model_id);
  FS_ASSIGN_OR_RETURN(
      Completeness all,
      ComputeCompleteness(*options_.store, areas, model, query));
  v1::GetCompletenessResponse response;
  response.set_as_of(query.as_of);
  response.set_area_id(query.area_id);
  response.set_area_name(areas.FullNameOn(query.area_id, query.as_of));
  response.set_model_name(model.name());
  response.set_source(all.source);
  *response.mutable_summary() = all.summary;
  size_t from = 0;
  if (!after.empty()) {
    while (from < all.rows.size() && all.rows[from].area_id() != after) ++from;
    if (from == all.rows.size()) {
      return InvalidFieldError(
          "page_token",
          "the areas changed since the first page: ask again without it");
    }
    ++from;
  }
  const size_t page_size = request.page_size() == 0
                               ? kDefaultTotalsPageSize
                               : static_cast<size_t>(request.page_size());
  for (size_t i = from; i < all.rows.size(); ++i) {
    if (static_cast<size_t>(response.rows_size()) == page_size) {
      v1::PageToken token;
      token.set_after_id(response.rows(response.rows_size() - 1).area_id());
      token.set_filter_fingerprint(fingerprint);
      response.set_next_page_token(EncodePageToken(token));
      break;
    }
    *response.add_rows() = std::move(all.rows[i]);
  }
  return response;
}

absl::StatusOr<v1::GetOverviewResponse> MonitoringService::OverviewFor(
    const Caller& caller, const v1::GetOverviewRequest& request) const {
  const std::string today = TodayInVietnam(*options_.clock);
  const std::string as_of = request.as_of().empty() ? today : request.as_of();
  if (!IsIsoDate(as_of) || as_of > today) {
    return InvalidFieldError(
        "as_of", absl::StrCat("\"", request.as_of(),
                              "\" is not a date up to today written "
                              "YYYY-MM-DD"));
  }
  FS_ASSIGN_OR_RETURN(std::shared_ptr<const CatalogueIndex> index,
                      options_.catalogue->Current());
  return Overview(*index, VisibleTo(caller.read_scopes), as_of);
}

template <typename Response, typename Answer>
grpc::ServerUnaryReactor* MonitoringService::Serve(
    grpc::CallbackServerContext* context, Response* response, std::string kind,
    std::string target, std::string detail, Answer answer) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Caller> caller = options_.auth->Authenticate(*context);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  options_.audit->Record(std::move(kind), caller->device_id, std::move(target),
                         std::move(detail), context->peer());
  auto call = std::make_shared<CallTracker::Scope>(options_.calls);
  options_.readers->Submit(
      [reactor, response, call, answer, caller = *std::move(caller)] {
        FinishUnary<Response>(reactor, answer(caller), response);
      });
  return reactor;
}

grpc::ServerUnaryReactor* MonitoringService::GetTotals(
    grpc::CallbackServerContext* context, const v1::GetTotalsRequest* request,
    v1::GetTotalsResponse* response) {
  std::string detail = absl::StrCat(
      "period ", request->period(), ", by ",
      v1::TotalsGrouping_Name(request->by()),
      request->model_id().empty()
          ? ""
          : absl::StrCat(", model ", request->model_id()),
      request->as_of().empty() ? ""
                               : absl::StrCat(", as of ", request->as_of()));
  return Serve(context, response, "totals", request->area_id(),
               std::move(detail), [this, request](const Caller& caller) {
                 return Totals(caller, *request);
               });
}

grpc::ServerUnaryReactor* MonitoringService::GetCompleteness(
    grpc::CallbackServerContext* context,
    const v1::GetCompletenessRequest* request,
    v1::GetCompletenessResponse* response) {
  std::string detail = absl::StrCat(
      "model ", request->model_id(), ", period ", request->period(),
      request->as_of().empty() ? ""
                               : absl::StrCat(", as of ", request->as_of()));
  return Serve(context, response, "completeness", request->area_id(),
               std::move(detail), [this, request](const Caller& caller) {
                 return CompletenessFor(caller, *request);
               });
}

grpc::ServerUnaryReactor* MonitoringService::GetOverview(
    grpc::CallbackServerContext* context, const v1::GetOverviewRequest* request,
    v1::GetOverviewResponse* response) {
  return Serve(context, response, "overview", "catalogue",
               request->as_of().empty()
                   ? std::string()
                   : absl::StrCat("as of ", request->as_of()),
               [this, request](const Caller& caller) {
                 return OverviewFor(caller, *request);
               });
}

grpc::ServerUnaryReactor* MonitoringService::ExportAppendix(
    grpc::CallbackServerContext* context,
    const v1::ExportAppendixRequest* request,
    v1::ExportAppendixResponse* response) {
  return Serve(context, response, "appendix export",
               request->area_id().empty() ? "catalogue" : request->area_id(),
               absl::StrCat("year ", request->year(),
                            request->page_token().empty() ? "" : ", next page"),
               [this, request](const Caller& caller) {
                 return Appendix(caller, *request);
               });
}

}  // namespace fieldsync::server
