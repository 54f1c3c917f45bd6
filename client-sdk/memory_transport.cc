#include "client-sdk/memory_transport.h"

#include <thread>

#include "absl/strings/str_cat.h"

namespace fieldsync::client {
namespace {

absl::Status LinkCut(std::string_view what) {
  return absl::UnavailableError(
      absl::StrCat("the link dropped ", std::string(what), " (injected)"));
}

// The mutations in byte-bounded batches, at least one mutation each.
std::vector<std::vector<v1::Mutation>> Batches(
    const std::vector<v1::Mutation>& mutations, size_t max_bytes) {
  std::vector<std::vector<v1::Mutation>> batches;
  size_t bytes = 0;
  for (const v1::Mutation& m : mutations) {
    const size_t size = m.ByteSizeLong();
    if (batches.empty() || bytes + size > max_bytes) {
      batches.emplace_back();
      bytes = 0;
    }
    batches.back().push_back(m);
    bytes += size;
  }
  return batches;
}

size_t BytesOf(const std::vector<v1::Mutation>& batch) {
  size_t bytes = 0;
  for (const v1::Mutation& m : batch) bytes += m.ByteSizeLong();
  return bytes;
}

}  // namespace

InMemoryTransport::InMemoryTransport(InMemoryTransportOptions options)
    : options_(std::move(options)), random_(options_.faults.seed) {}

bool InMemoryTransport::Chance(double probability) {
  return probability > 0 &&
         std::uniform_real_distribution<double>(0, 1)(random_) < probability;
}

void InMemoryTransport::Delay() const {
  if (options_.faults.latency.count() > 0) {
    std::this_thread::sleep_for(options_.faults.latency);
  }
}

absl::StatusOr<std::vector<v1::MutationResult>> InMemoryTransport::Deliver(
    const std::vector<v1::Mutation>& batch) {
  Delay();
  if (Chance(options_.faults.drop_request)) {
    ++dropped_;
    return LinkCut("a push batch");
  }
  std::vector<const WritePolicy*> policies;
  if (options_.policy != nullptr) {
    policies.assign(batch.size(), options_.policy);
  }
  absl::StatusOr<v1::PushResponse> response =
      options_.replica->Push(batch, policies);
  if (!response.ok()) return response.status();
  if (Chance(options_.faults.drop_response)) {
    ++dropped_;
    return LinkCut("a push answer");
  }
  return std::vector<v1::MutationResult>(response->results().begin(),
                                         response->results().end());
}

absl::Status InMemoryTransport::PushBatches(
    const std::vector<v1::Mutation>& mutations, const BatchCallback& on_batch) {
  std::vector<std::vector<v1::Mutation>> batches =
      Batches(mutations, options_.max_batch_bytes);
  for (size_t i = 0; i < batches.size(); ++i) {
    if (i + 1 < batches.size() && Chance(options_.faults.reorder)) {
      // The later batch arrives first: the server refuses it as a gap, and
      // the earlier one then applies. Both answers come back.
      ++reordered_;
      absl::StatusOr<std::vector<v1::MutationResult>> early =
          Deliver(batches[i + 1]);
      absl::StatusOr<std::vector<v1::MutationResult>> late =
          Deliver(batches[i]);
      if (!late.ok()) return late.status();
      on_batch(*late, BytesOf(batches[i]));
      if (!early.ok()) return early.status();
      on_batch(*early, BytesOf(batches[i + 1]));
      ++i;
      continue;
    }
    absl::StatusOr<std::vector<v1::MutationResult>> results =
        Deliver(batches[i]);
    if (!results.ok()) return results.status();
    on_batch(*results, BytesOf(batches[i]));
  }
  return absl::OkStatus();
}

absl::Status InMemoryTransport::Pull(std::string& cursor,
                                     const PageCallback& on_page) {
  while (true) {
    Delay();
    if (Chance(options_.faults.drop_request)) {
      ++dropped_;
      return LinkCut("a pull request");
    }
    absl::StatusOr<v1::PullResponse> page = options_.replica->Pull(
        options_.scopes, cursor, options_.max_page_bytes);
    if (!page.ok()) return page.status();
    if (Chance(options_.faults.drop_response)) {
      ++dropped_;
      return LinkCut("a pull page");
    }
    on_page(*page);
    cursor = page->cursor();
    if (page->done()) return absl::OkStatus();
  }
}

}  // namespace fieldsync::client
