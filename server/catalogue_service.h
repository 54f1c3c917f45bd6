// CatalogueService over gRPC's callback API. Handlers hand their work to
// the reader executor (the catalogue may have to be reloaded from the
// store), so none blocks a callback thread.
#ifndef FIELDSYNC_SERVER_CATALOGUE_SERVICE_H_
#define FIELDSYNC_SERVER_CATALOGUE_SERVICE_H_

#include "fieldsync/v1/catalogue_service.grpc.pb.h"
#include "server/audit_log.h"
#include "server/authenticator.h"
#include "server/call_tracker.h"
#include "server/catalogue_cache.h"
#include "server/executor.h"

namespace fieldsync::server {

class CatalogueService final : public v1::CatalogueService::CallbackService {
 public:
  // Everything must outlive the service. `audit` records the lookups
  // answered NotFound because the model lies outside the caller's scopes.
  CatalogueService(CatalogueCache* catalogue, Executor* readers,
                   CallTracker* calls, const Authenticator* auth,
                   AuditLog* audit)
      : catalogue_(catalogue),
        readers_(readers),
        calls_(calls),
        auth_(auth),
        audit_(audit) {}

  grpc::ServerUnaryReactor* ListModels(
      grpc::CallbackServerContext* context,
      const v1::ListModelsRequest* request,
      v1::ListModelsResponse* response) override;
  grpc::ServerUnaryReactor* GetModel(grpc::CallbackServerContext* context,
                                     const v1::GetModelRequest* request,
                                     v1::GetModelResponse* response) override;
  grpc::ServerUnaryReactor* ListAreas(grpc::CallbackServerContext* context,
                                      const v1::ListAreasRequest* request,
                                      v1::ListAreasResponse* response) override;
  grpc::ServerUnaryReactor* ListSectors(
      grpc::CallbackServerContext* context,
      const v1::ListSectorsRequest* request,
      v1::ListSectorsResponse* response) override;

 private:
  // Authenticates the caller, then runs `answer` against the current
  // catalogue, the caller and its visibility on a reader thread, and
  // finishes the call with its result.
  template <typename Response, typename Answer>
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                  Response* response, Answer answer);

  CatalogueCache* catalogue_;
  Executor* readers_;
  CallTracker* calls_;
  const Authenticator* auth_;
  AuditLog* audit_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_CATALOGUE_SERVICE_H_
