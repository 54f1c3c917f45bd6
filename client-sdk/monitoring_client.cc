#include "client-sdk/monitoring_client.h"

#include <grpcpp/grpcpp.h>

#include "client-sdk/catalogue_client.h"

namespace fieldsync::client {

MonitoringClient::MonitoringClient(const std::string& target,
                                   std::string secret,
                                   std::chrono::milliseconds timeout,
                                   const TlsFiles& tls)
    : secret_(std::move(secret)),
      timeout_(timeout),
      channel_(grpc::CreateChannel(target, ChannelCredentials(tls))),
      stub_(v1::MonitoringService::NewStub(channel_)) {}

void MonitoringClient::Prepare(grpc::ClientContext& context) const {
  context.set_deadline(std::chrono::system_clock::now() + timeout_);
  context.AddMetadata("authorization", "Bearer " + secret_);
}

absl::StatusOr<v1::GetTotalsResponse> MonitoringClient::GetAllTotals(
    v1::GetTotalsRequest request) {
  v1::GetTotalsResponse all;
  do {
    grpc::ClientContext context;
    Prepare(context);
    v1::GetTotalsResponse page;
    grpc::Status status = stub_->GetTotals(&context, request, &page);
    if (!status.ok()) return FromGrpcStatus(status);
    all.set_as_of(page.as_of());
    all.set_area_name(page.area_name());
    for (v1::TotalsRow& row : *page.mutable_rows()) {
      *all.add_rows() = std::move(row);
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

absl::StatusOr<v1::GetCompletenessResponse>
MonitoringClient::GetAllCompleteness(v1::GetCompletenessRequest request) {
  v1::GetCompletenessResponse all;
  google::protobuf::RepeatedPtrField<v1::CompletenessRow> rows;
  do {
    grpc::ClientContext context;
    Prepare(context);
    v1::GetCompletenessResponse page;
    grpc::Status status = stub_->GetCompleteness(&context, request, &page);
    if (!status.ok()) return FromGrpcStatus(status);
    for (v1::CompletenessRow& row : *page.mutable_rows()) {
      *rows.Add() = std::move(row);
    }
    page.clear_rows();
    request.set_page_token(page.next_page_token());
    all = std::move(page);  // the summary and names, from the last page
  } while (!request.page_token().empty());
  all.clear_next_page_token();
  all.mutable_rows()->Swap(&rows);
  return all;
}

absl::StatusOr<v1::GetOverviewResponse> MonitoringClient::GetOverview(
    const v1::GetOverviewRequest& request) {
  grpc::ClientContext context;
  Prepare(context);
  v1::GetOverviewResponse response;
  grpc::Status status = stub_->GetOverview(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

absl::StatusOr<v1::ExportAppendixResponse> MonitoringClient::ExportAllAppendix(
    v1::ExportAppendixRequest request) {
  v1::ExportAppendixResponse all;
  do {
    grpc::ClientContext context;
    Prepare(context);
    v1::ExportAppendixResponse page;
    grpc::Status status = stub_->ExportAppendix(&context, request, &page);
    if (!status.ok()) return FromGrpcStatus(status);
    all.set_year(page.year());
    all.set_area_id(page.area_id());
    all.set_area_name(page.area_name());
    *all.mutable_tables() = std::move(*page.mutable_tables());
    for (v1::AppendixRow& row : *page.mutable_rows()) {
      *all.add_rows() = std::move(row);
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

}  // namespace fieldsync::client
