#include "client-sdk/sync_client.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <iterator>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client-sdk/catalogue_client.h"
#include "google/protobuf/arena.h"
#include "sync/pull_page.h"
#include "sync/push_results.h"
#include "sync/received_page.h"

namespace fieldsync::client {
namespace {

// A parsed pull page of the largest size (512 KiB) takes about 2 MiB in
// memory: the largest arena block a pull keeps.
constexpr size_t kPullArenaBlockBytes = 4 << 20;

}  // namespace

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
    request.add_accepted_result_encodings(v1::PAGE_ENCODING_ZSTD);
    size_t bytes = 0;
    // At least one mutation per batch, so a large one still goes.
    while (next < mutations.size()) {
      const size_t size = mutations[next].ByteSizeLong();
      if (request.mutations_size() > 0 &&
          bytes + size > options_.max_batch_bytes) {
        break;
      }
      bytes += size;
      *request.add_mutations() = mutations[next++];
    }
    v1::PushResponse response;
    if (!stream->Write(request) || !stream->Read(&response)) break;
    if (absl::Status s = DecodePushResults(response); !s.ok()) {
      context.TryCancel();
      (void)stream->Finish();  // the decoding error is what is reported
      return s;
    }
    std::vector<v1::MutationResult> results(
        std::make_move_iterator(response.mutable_results()->begin()),
        std::make_move_iterator(response.mutable_results()->end()));
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
  results.reserve(mutations.size());
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
  switch (options_.pull_compression) {
    case PullCompression::kZstd:
      request.add_accepted_page_encodings(v1::PAGE_ENCODING_ZSTD);
      break;
    case PullCompression::kGzip:
      break;
    case PullCompression::kNone:
      context.AddMetadata(kPullEncodingHeader, "identity");
      break;
  }
  // Pages are read as bytes, so the checksum is computed on the documents'
  // bytes as received instead of on each document serialized again.
  const grpc::internal::RpcMethod method(
      "/fieldsync.v1.SyncService/Pull",
      grpc::internal::RpcMethod::SERVER_STREAMING, channel_);
  std::unique_ptr<grpc::ClientReader<grpc::ByteBuffer>> reader(
      grpc::internal::ClientReaderFactory<grpc::ByteBuffer>::Create(
          channel_.get(), method, &context, request));
  grpc::ByteBuffer buffer;
  // Each page is parsed into an arena that starts in one reused block: a
  // page holds a thousand documents, and their maps and strings would
  // otherwise each be allocated and freed one by one. The block is sized
  // by the first page (a parsed page takes a few times its wire bytes), so
  // a small pull stays small; it is not zeroed.
  std::unique_ptr<char[]> arena_block;
  size_t arena_block_bytes = 0;
  std::string decoded;  // a zstd page's documents, reused
  last_pull_bytes_ = PullBytes();
  bool done = false;
  while (reader->Read(&buffer)) {
    if (arena_block == nullptr) {
      arena_block_bytes = std::clamp<size_t>(4 * buffer.Length(), 64 << 10,
                                             kPullArenaBlockBytes);
      arena_block = std::make_unique_for_overwrite<char[]>(arena_block_bytes);
    }
    google::protobuf::ArenaOptions arena_options;
    arena_options.initial_block = arena_block.get();
    arena_options.initial_block_size = arena_block_bytes;
    arena_options.max_block_size = kPullArenaBlockBytes;
    google::protobuf::Arena arena(arena_options);
    v1::PullResponse& page =
        *google::protobuf::Arena::CreateMessage<v1::PullResponse>(&arena);
    grpc::Slice bytes;
    if (!buffer.DumpToSingleSlice(&bytes).ok()) {
      context.TryCancel();
      reader->Finish().ok();
      return absl::DataLossError("a pull page does not parse");
    }
    absl::StatusOr<size_t> plain_bytes = ReadReceivedPage(
        std::string_view(reinterpret_cast<const char*>(bytes.begin()),
                         bytes.size()),
        page, decoded);
    if (!plain_bytes.ok()) {
      context.TryCancel();
      reader->Finish().ok();
      return plain_bytes.status();
    }
    last_pull_bytes_.page_bytes += bytes.size();
    last_pull_bytes_.plain_bytes += *plain_bytes;
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
