// The device side of the sync protocol over gRPC: push mutations in
// byte-bounded batches on one stream, pull pages from a cursor. Blocking;
// one SyncClient per thread.
#ifndef FIELDSYNC_CLIENT_SDK_SYNC_CLIENT_H_
#define FIELDSYNC_CLIENT_SDK_SYNC_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client-sdk/channel.h"
#include "client-sdk/transport.h"
#include "fieldsync/v1/sync.grpc.pb.h"

namespace fieldsync::client {

enum class PullCompression {
  kZstd,  // PAGE_ENCODING_ZSTD pages, without gRPC compression
  kGzip,  // plain pages, gzip by gRPC
  kNone,  // plain pages, uncompressed
};

struct SyncClientOptions {
  std::string target;  // "HOST:PORT"
  std::string device_id;
  // The device's enrolment secret, sent as "authorization: Bearer". Empty:
  // a development server's x-fieldsync-device header instead.
  std::string secret;
  // Scopes to pull (development mode header); empty: the server's default.
  std::vector<std::string> scopes;
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
  // TLS files; no CA: plaintext.
  TlsFiles tls;
  // Largest pull page wanted; 0: the server's default.
  uint32_t max_page_bytes = 0;
  // How pull pages are compressed. zstd (the default) is smaller than gzip
  // and cheaper for both sides; a server that predates it sends gzip. None
  // only pays on a fast link (Wi-Fi, a LAN), never on a mobile one.
  PullCompression pull_compression = PullCompression::kZstd;
  // Largest batch sent; the server's advertised limit lowers it.
  size_t max_batch_bytes = 64 * 1024;
  // Longest wait between reconnection attempts (gRPC backs off
  // exponentially, with jitter, up to this). Long enough not to drain a
  // tablet's battery on a dead link, short enough to catch a weak one.
  std::chrono::milliseconds max_reconnect_backoff = std::chrono::seconds(30);
};

class SyncClient : public Transport {
 public:
  explicit SyncClient(SyncClientOptions options);

  absl::Status PushBatches(const std::vector<v1::Mutation>& mutations,
                           const BatchCallback& on_batch) override;

  // Sends `mutations` in order, in batches, and returns one result each.
  // If the link breaks, the error comes back and `acknowledged` (when given)
  // holds the results of the batches the server did answer, in order, so
  // the caller resends only the rest.
  absl::StatusOr<std::vector<v1::MutationResult>> Push(
      const std::vector<v1::Mutation>& mutations,
      std::vector<v1::MutationResult>* acknowledged = nullptr);

  // Pulls from `cursor` until the server says done, calling `on_page` with
  // each page after checking its checksum; `cursor` follows every page, so
  // an interrupted pull resumes where it stopped.
  absl::Status Pull(std::string& cursor, const PageCallback& on_page) override;

  // What the last Pull received, for a benchmark or a link report. Set by
  // Pull; not for pulls running at once on one client.
  struct PullBytes {
    int64_t page_bytes = 0;  // messages as gRPC delivered them
    // The same pages with documents decoded (within a few bytes of framing
    // per page).
    int64_t plain_bytes = 0;
  };
  const PullBytes& last_pull_bytes() const { return last_pull_bytes_; }

 private:
  void Prepare(grpc::ClientContext& context) const;

  SyncClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::SyncService::Stub> stub_;
  PullBytes last_pull_bytes_;
};

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_SYNC_CLIENT_H_
