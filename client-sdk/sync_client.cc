#include "client-sdk/sync_client.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client-sdk/catalogue_client.h"
#include "sync/deterministic.h"

namespace fieldsync::client {
SyncClient::SyncClient(SyncClientOptions options)
    : options_(std::move(options)) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(4 * 1024 * 1024);
  args.SetCompressionAlgorithm(GRPC_COMPRESS_GZIP);
  const int backoff_ms =
      static_cast<int>(options_.max_reconnect_backoff.count());
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, backoff_ms);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
              std::min(1000, backoff_ms));
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, std::min(1000, backoff_ms));
  // Each client keeps its own connection state, so a fresh client after a
  // failure reconnects at once instead of inheriting a shared backoff.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  channel_ = grpc::CreateCustomChannel(options_.target,
                                       ChannelCredentials(options_.tls), args);
  stub_ = v1::SyncService::NewStub(channel_);
}

void SyncClient::Prepare(grpc::ClientContext& context) const {
  context.set_deadline(std::chrono::system_clock::now() + options_.timeout);
  if (!options_.secret.empty()) {
    context.AddMetadata("authorization", "Bearer " + options_.secret);
  } else {
    context.AddMetadata("x-fieldsync-device", options_.device_id);
  }
  if (!options_.scopes.empty()) {
    context.AddMetadata("x-fieldsync-scopes",
                        absl::StrJoin(options_.scopes, ","));
  }
}

absl::Status SyncClient::PushBatches(const std::vector<v1::Mutation>& mutations,
                                     const BatchCallback& on_batch) {
  grpc::ClientContext context;
  Prepare(context);
  auto stream = stub_->Push(&context);
  size_t next = 0;
  size_t answered = 0;
  while (next < mutations.size()) {
    v1::PushRequest request;
    request.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
    size_t bytes = 0;
    // At least one mutation per batch, so a large one still goes.
    while (next < mutations.size() && (request.mutations_size() == 0 ||
                                       bytes + mutations[next].ByteSizeLong() <=
                                           options_.max_batch_bytes)) {
      bytes += mutations[next].ByteSizeLong();
      *request.add_mutations() = mutations[next++];
    }
    v1::PushResponse response;
    if (!stream->Write(request) || !stream->Read(&response)) break;
    std::vector<v1::MutationResult> results(response.results().begin(),
                                            response.results().end());
    answered += results.size();
    on_batch(results, bytes);
    if (response.max_batch_bytes() > 0) {
      options_.max_batch_bytes = std::min<size_t>(options_.max_batch_bytes,
                                                  response.max_batch_bytes());
    }
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (!status.ok()) return FromGrpcStatus(status);
  if (answered != mutations.size()) {
    return absl::UnavailableError("the push stream ended early");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::MutationResult>> SyncClient::Push(
    const std::vector<v1::Mutation>& mutations,
    std::vector<v1::MutationResult>* acknowledged) {
  std::vector<v1::MutationResult> results;
  absl::Status status = PushBatches(
      mutations, [&](const std::vector<v1::MutationResult>& batch, size_t) {
        results.insert(results.end(), batch.begin(), batch.end());
        if (acknowledged != nullptr) {
          acknowledged->insert(acknowledged->end(), batch.begin(), batch.end());
        }
      });
  if (!status.ok()) return status;
  return results;
}

absl::Status SyncClient::Pull(std::string& cursor,
                              const PageCallback& on_page) {
  grpc::ClientContext context;
  Prepare(context);
  v1::PullRequest request;
  request.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  request.set_cursor(cursor);
  request.set_max_page_bytes(options_.max_page_bytes);
  auto reader = stub_->Pull(&context, request);
  v1::PullResponse page;
  bool done = false;
  while (reader->Read(&page)) {
    if (PageChecksum(page) != page.checksum()) {
      context.TryCancel();
      reader->Finish().ok();
      return absl::DataLossError("a pull page failed its checksum");
    }
    on_page(page);
    cursor = page.cursor();
    done = page.done();
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) return FromGrpcStatus(status);
  if (!done)
    return absl::UnavailableError("the pull ended before its last page");
  return absl::OkStatus();
}

}  // namespace fieldsync::client
