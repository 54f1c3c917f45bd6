#include "server/catalogue_service.h"

#include <algorithm>
#include <memory>

#include "server/grpc_status.h"
#include "server/visible_doc.h"
#include "sync/keys.h"

namespace fieldsync::server {

template <typename Response, typename Answer>
grpc::ServerUnaryReactor* CatalogueService::Serve(
    grpc::CallbackServerContext* context, Response* response, Answer answer) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Caller> caller = auth_->Authenticate(*context);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  ModelVisibility visible = VisibleTo(caller->read_scopes);
  // The call counts as in flight until it is finished, not just submitted.
  auto call = std::make_shared<CallTracker::Scope>(calls_);
  readers_->Submit([this, reactor, response, answer, call, visible,
                    caller = *std::move(caller)] {
    absl::StatusOr<std::shared_ptr<const CatalogueIndex>> index =
        catalogue_->Current();
    if (!index.ok()) {
      reactor->Finish(ToGrpcStatus(index.status()));
      return;
    }
    FinishUnary<Response>(reactor, answer(**index, caller, visible), response);
  });
  return reactor;
}

grpc::ServerUnaryReactor* CatalogueService::ListModels(
    grpc::CallbackServerContext* context, const v1::ListModelsRequest* request,
    v1::ListModelsResponse* response) {
  return Serve(context, response,
               [request](const CatalogueIndex& index, const Caller&,
                         const ModelVisibility& visible) {
                 return index.ListModels(*request, visible);
               });
}

grpc::ServerUnaryReactor* CatalogueService::GetModel(
    grpc::CallbackServerContext* context, const v1::GetModelRequest* request,
    v1::GetModelResponse* response) {
  return Serve(
      context, response,
      [this, request](const CatalogueIndex& index, const Caller& caller,
                      const ModelVisibility& visible) {
        absl::StatusOr<v1::GetModelResponse> found =
            index.GetModel(*request, visible);
        // A model the caller may not see is answered as a missing one;
        // only the audit trail says which it was.
        if (absl::IsNotFound(found.status()) &&
            index.FindModel(request->id()) != nullptr) {
          AuditOutOfScope(*audit_, caller, "GetModel",
                          DocKey(kModelKind, request->id()));
        }
        return found;
      });
}

grpc::ServerUnaryReactor* CatalogueService::ListAreas(
    grpc::CallbackServerContext* context, const v1::ListAreasRequest* request,
    v1::ListAreasResponse* response) {
  return Serve(
      context, response,
      [request](const CatalogueIndex& index, const Caller&,
                const ModelVisibility&) { return index.ListAreas(*request); });
}

grpc::ServerUnaryReactor* CatalogueService::ListSectors(
    grpc::CallbackServerContext* context,
    const v1::ListSectorsRequest* /*request*/,
    v1::ListSectorsResponse* response) {
  return Serve(
      context, response,
      [](const CatalogueIndex& index, const Caller&, const ModelVisibility&) {
        return absl::StatusOr<v1::ListSectorsResponse>(index.ListSectors());
      });
}

}  // namespace fieldsync::server
