// A transport to a ServerReplica in the same process, with the faults of a
// weak link injected on purpose: requests that never arrive, answers lost
// after the server applied a batch, batches delivered out of order, and
// latency. Deterministic for a given seed, so a failing run replays.
// Thread-compatible: one InMemoryTransport per tablet thread.
#ifndef FIELDSYNC_CLIENT_SDK_MEMORY_TRANSPORT_H_
#define FIELDSYNC_CLIENT_SDK_MEMORY_TRANSPORT_H_

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "client-sdk/transport.h"
#include "sync/server_replica.h"

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
  // Delay before each request reaches the server.
  std::chrono::microseconds latency{0};
  uint64_t seed = 1;
};

struct InMemoryTransportOptions {
  // Required; must outlive the transport.
  ServerReplica* replica = nullptr;
  // The scopes the tablet reads.
  std::vector<std::string> scopes;
  // What the device may write; null: anything (a trusted test device).
  const WritePolicy* policy = nullptr;
  size_t max_batch_bytes = 64 * 1024;
  size_t max_page_bytes = 64 * 1024;
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
  // Delivers one batch to the replica; nullopt-like error when dropped.
  absl::StatusOr<std::vector<v1::MutationResult>> Deliver(
      const std::vector<v1::Mutation>& batch);

  InMemoryTransportOptions options_;
  std::mt19937_64 random_;
  int dropped_ = 0;
  int reordered_ = 0;
};

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_MEMORY_TRANSPORT_H_
