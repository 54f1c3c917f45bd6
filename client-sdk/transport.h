// How a tablet's replica reaches the server: push mutations, pull pages.
// SyncClient is the gRPC transport; InMemoryTransport serves tests (and app
// developers' own) from a server replica in the same process, through the
// server's own SyncSession, with drops, reorders, damaged pages and latency
// injected. Both check every page's checksum before its documents reach
// `on_page` (sync/received_page.h).
#ifndef FIELDSYNC_CLIENT_SDK_TRANSPORT_H_
#define FIELDSYNC_CLIENT_SDK_TRANSPORT_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "fieldsync/v1/sync.pb.h"

namespace fieldsync::client {

// Called once per batch the server answered, in order, with its results
// and the batch's size in bytes. Acknowledged means durable on the server.
using BatchCallback = std::function<void(
    const std::vector<v1::MutationResult>& results, size_t batch_bytes)>;

// Called once per page received, after its checksum was checked.
using PageCallback = std::function<void(const v1::PullResponse& page)>;

class Transport {
 public:
  virtual ~Transport() = default;

  // Sends `mutations` in order in byte-bounded batches, calling `on_batch`
  // for each answered batch. An error means the rest were not answered:
  // resend them (and only them) later.
  virtual absl::Status PushBatches(const std::vector<v1::Mutation>& mutations,
                                   const BatchCallback& on_batch) = 0;

  // Pulls from `cursor` until the server's last page; `cursor` follows each
  // page so an interrupted pull resumes where it stopped.
  virtual absl::Status Pull(std::string& cursor,
                            const PageCallback& on_page) = 0;
};

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_TRANSPORT_H_
