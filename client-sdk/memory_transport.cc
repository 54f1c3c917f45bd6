#include "client-sdk/memory_transport.h"

#include <algorithm>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "sync/push_results.h"
#include "sync/received_page.h"

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
    : options_(std::move(options)),
      session_(options_.replica,
               {.device_id = options_.device_id,
                .read_scopes = options_.scopes,
                .policy = options_.policy == nullptr
                              ? std::nullopt
                              : std::optional<WritePolicy>(*options_.policy)},
               /*still_valid=*/nullptr),
      random_(options_.faults.seed) {}

bool InMemoryTransport::Chance(double probability) {
  return probability > 0 &&
         std::uniform_real_distribution<double>(0, 1)(random_) < probability;
}

void InMemoryTransport::Delay() const {
  if (options_.faults.latency.count() > 0) {
    std::this_thread::sleep_for(options_.faults.latency);
  }
}

absl::Status InMemoryTransport::Send(std::string_view what) {
  Delay();
  if (Chance(options_.faults.drop_request)) {
    ++dropped_;
    return LinkCut(what);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::MutationResult>> InMemoryTransport::Deliver(
    const std::vector<v1::Mutation>& batch) {
  if (absl::Status s = Send("a push batch"); !s.ok()) return s;
  v1::PushRequest request;
  request.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  if (options_.zstd) {
    request.add_accepted_result_encodings(v1::PAGE_ENCODING_ZSTD);
  }
  for (const v1::Mutation& m : batch) *request.add_mutations() = m;
  absl::StatusOr<AcceptedBatch> accepted = session_.AcceptBatch(request);
  if (!accepted.ok()) return accepted.status();
  const std::vector<const WritePolicy*> policies(accepted->mutations.size(),
                                                 session_.policy());
  absl::StatusOr<v1::PushResponse> applied = options_.replica->Push(
      std::move(accepted->mutations), policies, accepted->resolved);
  if (!applied.ok()) return applied.status();
  if (Chance(options_.faults.drop_response)) {
    ++dropped_;
    return LinkCut("a push answer");
  }
  // The answer as it crosses the link.
  v1::PushResponse response;
  if (!response.ParseFromString(
          session_.Answer(*std::move(applied), accepted->zstd_results)
              .SerializeAsString())) {
    return absl::DataLossError("a push answer does not parse");
  }
  if (absl::Status s = DecodePushResults(response); !s.ok()) return s;
  if (response.max_batch_bytes() > 0) {
    options_.max_batch_bytes =
        std::min<size_t>(options_.max_batch_bytes, response.max_batch_bytes());
  }
  return std::vector<v1::MutationResult>(response.results().begin(),
                                         response.results().end());
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
  if (absl::Status s = Send("a pull request"); !s.ok()) return s;
  v1::PullRequest request;
  request.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  request.set_cursor(cursor);
  request.set_max_page_bytes(static_cast<uint32_t>(options_.max_page_bytes));
  if (options_.zstd)
    request.add_accepted_page_encodings(v1::PAGE_ENCODING_ZSTD);
  absl::StatusOr<PullPlan> plan = session_.AcceptPull(request);
  if (!plan.ok()) return plan.status();
  std::string decoded;
  bool done = false;
  absl::Status status = session_.PullPages(
      *plan, [&](std::string bytes, bool last) -> absl::Status {
        Delay();
        if (Chance(options_.faults.drop_response)) {
          ++dropped_;
          return LinkCut("a pull page");
        }
        if (!bytes.empty() && Chance(options_.faults.corrupt_page)) {
          bytes[bytes.size() / 2] ^= 0x20;
        }
        v1::PullResponse page;
        absl::StatusOr<size_t> read = ReadReceivedPage(bytes, page, decoded);
        if (!read.ok()) return read.status();
        on_page(page);
        cursor = page.cursor();
        done = last;
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (!done)
    return absl::UnavailableError("the pull ended before its last page");
  return absl::OkStatus();
}

}  // namespace fieldsync::client
