#include "server/catalogue_service.h"

#include "server/grpc_status.h"

namespace fieldsync::server {
namespace {

// Finishes a unary call with `result`: its value on success, its status
// translated (with details) otherwise.
template <typename Response>
grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context,
                                 absl::StatusOr<Response> result,
                                 Response* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (result.ok()) {
    *response = *std::move(result);
    reactor->Finish(grpc::Status::OK);
  } else {
    reactor->Finish(ToGrpcStatus(result.status()));
  }
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* CatalogueService::ListModels(
    grpc::CallbackServerContext* context, const v1::ListModelsRequest* request,
    v1::ListModelsResponse* response) {
  CallTracker::Scope call(calls_);
  return Finish(context, index_->ListModels(*request), response);
}

grpc::ServerUnaryReactor* CatalogueService::GetModel(
    grpc::CallbackServerContext* context, const v1::GetModelRequest* request,
    v1::GetModelResponse* response) {
  CallTracker::Scope call(calls_);
  return Finish(context, index_->GetModel(*request), response);
}

grpc::ServerUnaryReactor* CatalogueService::ListAreas(
    grpc::CallbackServerContext* context, const v1::ListAreasRequest* request,
    v1::ListAreasResponse* response) {
  CallTracker::Scope call(calls_);
  return Finish(context, index_->ListAreas(*request), response);
}

grpc::ServerUnaryReactor* CatalogueService::ListSectors(
    grpc::CallbackServerContext* context,
    const v1::ListSectorsRequest* /*request*/,
    v1::ListSectorsResponse* response) {
  CallTracker::Scope call(calls_);
  return Finish(context,
                absl::StatusOr<v1::ListSectorsResponse>(index_->ListSectors()),
                response);
}

}  // namespace fieldsync::server
