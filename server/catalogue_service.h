// CatalogueService over gRPC's callback API. Every handler answers from the
// in-memory CatalogueIndex, so none blocks a callback thread on I/O.
#ifndef FIELDSYNC_SERVER_CATALOGUE_SERVICE_H_
#define FIELDSYNC_SERVER_CATALOGUE_SERVICE_H_

#include "fieldsync/v1/catalogue_service.grpc.pb.h"
#include "server/call_tracker.h"
#include "server/catalogue_index.h"

namespace fieldsync::server {

class CatalogueService final : public v1::CatalogueService::CallbackService {
 public:
  // `index` and `calls` must outlive the service.
  CatalogueService(const CatalogueIndex* index, CallTracker* calls)
      : index_(index), calls_(calls) {}

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
  const CatalogueIndex* index_;
  CallTracker* calls_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_CATALOGUE_SERVICE_H_
