// SyncService over gRPC's callback API: Push is a bidirectional stream of
// mutation batches, Pull a server stream of pages. Reactors never block:
// each batch and page is computed on an Executor, and each stream has at
// most one read or one write outstanding, so a slow peer makes the server
// wait, never buffer without bound. The protocol's rules are not here: each
// stream holds a SyncSession (sync/sync_session.h), and the reactors only
// carry its batches, answers and pages over gRPC.
#ifndef FIELDSYNC_SERVER_SYNC_SERVICE_H_
#define FIELDSYNC_SERVER_SYNC_SERVICE_H_

#include "fieldsync/v1/sync.grpc.pb.h"
#include "server/authenticator.h"
#include "server/executor.h"
#include "server/group_commit.h"
#include "server/open_streams.h"
#include "sync/server_replica.h"

namespace fieldsync::server {

class ServerMetrics;

struct SyncServiceOptions {
  // Required; must outlive the service.
  ServerReplica* replica = nullptr;
  // Applies pushes in arrival order, grouping concurrent batches.
  GroupCommitter* writer = nullptr;
  // Runs pulls.
  Executor* readers = nullptr;
  // Sends push answers (null: on the writer's thread). gRPC may run the
  // stream's next reactions inline in a write, reading, inflating and
  // checking the next batch: work the single writer should not do.
  Executor* responders = nullptr;
  // Who is calling, and what they may read and write.
  const Authenticator* auth = nullptr;
  // Where streams are registered, to be ended when their device is revoked
  // or given a new secret.
  OpenStreams* streams = nullptr;
  // Where calls, batches, pages, bytes and results are counted (null: not
  // counted).
  ServerMetrics* metrics = nullptr;
};

// Pull is a raw method: its pages go out as the bytes ServerReplica::PullBytes
// builds from stored documents, never parsed and serialized again.
using SyncServiceBase = v1::SyncService::WithCallbackMethod_Push<
    v1::SyncService::WithRawCallbackMethod_Pull<v1::SyncService::Service>>;

class SyncService final : public SyncServiceBase {
 public:
  explicit SyncService(SyncServiceOptions options) : options_(options) {}

  grpc::ServerBidiReactor<v1::PushRequest, v1::PushResponse>* Push(
      grpc::CallbackServerContext* context) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Pull(
      grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request) override;

 private:
  SyncServiceOptions options_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_SYNC_SERVICE_H_
