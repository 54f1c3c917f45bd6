// A transport to a ServerReplica in the same process, with the faults of a
// weak link injected on purpose: requests that never arrive, answers lost
// after the server applied a batch, batches delivered out of order, and
// latency. Deterministic for a given seed, so a failing run replays.
//
// Every request goes through the server's SyncSession (sync/sync_session.h)
// as over gRPC, and every answer and page goes through the bytes a tablet
// receives: serialized, zstd-encoded when asked, and read back with its
// checksum checked (received_page.h). Only the network is left out.
// Thread-compatible: one InMemoryTransport per tablet thread.
#ifndef FIELDSYNC_CLIENT_SDK_MEMORY_TRANSPORT_H_
#define FIELDSYNC_CLIENT_SDK_MEMORY_TRANSPORT_H_

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "client-sdk/transport.h"
#include "sync/server_replica.h"
#include "sync/sync_session.h"

namespace fieldsync::client {

struct LinkFaults {
  // Probability that a batch or page request is lost on the way (the
  // server never sees it; the call fails).
  double drop_request = 0;
  // Probability that the server's answer is lost after it applied the
  // batch or made the page (the call fails; the work is done).
  double drop_response = 0;
  // Probability that a batch overtakes the previous one, so the server sees
  // the later one first and refuses it as a gap.
  double reorder = 0;
  // Probability that a page arrives with one byte changed: the tablet finds
  // it by the page's checksum and applies nothing of it.
  double corrupt_page = 0;
  // Delay before each request reaches the server.
  std::chrono::microseconds latency{0};
  uint64_t seed = 1;
};

struct InMemoryTransportOptions {
  // Required; must outlive the transport.
  ServerReplica* replica = nullptr;
  // The device on the other end: a batch holding another device's
  // mutation is refused whole, as the server refuses it.
  std::string device_id;
  // The scopes the tablet reads.
  std::vector<std::string> scopes;
  // What the device may write; null: anything (a trusted test device).
  const WritePolicy* policy = nullptr;
  size_t max_batch_bytes = 64 * 1024;
  size_t max_page_bytes = 64 * 1024;
  // Whether the tablet reads zstd answers and pages.
  bool zstd = true;
  LinkFaults faults;
};

class InMemoryTransport : public Transport {
 public:
  explicit InMemoryTransport(InMemoryTransportOptions options);

  absl::Status PushBatches(const std::vector<v1::Mutation>& mutations,
                           const BatchCallback& on_batch) override;
  absl::Status Pull(std::string& cursor, const PageCallback& on_page) override;

  // How many requests and answers were dropped, and batches reordered.
  int dropped() const { return dropped_; }
  int reordered() const { return reordered_; }

 private:
  bool Chance(double probability);
  void Delay() const;
  // A request on its way: delayed, and Unavailable if the link drops it.
  absl::Status Send(std::string_view what);
  // Delivers one batch to the replica; Unavailable when the link dropped
  // it or its answer.
  absl::StatusOr<std::vector<v1::MutationResult>> Deliver(
      const std::vector<v1::Mutation>& batch);

  InMemoryTransportOptions options_;
  SyncSession session_;
  std::mt19937_64 random_;
  int dropped_ = 0;
  int reordered_ = 0;
};

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_MEMORY_TRANSPORT_H_
