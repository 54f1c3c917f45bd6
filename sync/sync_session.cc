#include "sync/sync_session.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sync/error_info.h"
#include "sync/field_error.h"
#include "sync/pull_page.h"
#include "sync/push_results.h"
#include "sync/tuning.h"

namespace fieldsync {
namespace {

// Version 0 (a client that never set the field) is refused like any other
// version not spoken here: docs/sync-protocol.md.
absl::Status CheckProtocol(v1::ProtocolVersion version) {
  if (version == v1::PROTOCOL_VERSION_CURRENT) return absl::OkStatus();
  const int spoken = static_cast<int>(v1::PROTOCOL_VERSION_CURRENT);
  return WithReason(
      InvalidFieldError(
          "protocol_version",
          absl::StrCat(static_cast<int>(version),
                       " is not spoken here; this server speaks ", spoken)),
      reason::kProtocolVersion, {{"server_version", absl::StrCat(spoken)}});
}

bool Accepts(const google::protobuf::RepeatedField<int>& encodings,
             v1::PageEncoding wanted) {
  return std::find(encodings.begin(), encodings.end(), wanted) !=
         encodings.end();
}

}  // namespace

SyncSession::SyncSession(ServerReplica* replica, SessionDevice device,
                         StillValidFn still_valid)
    : replica_(replica),
      device_(std::move(device)),
      still_valid_(std::move(still_valid)) {}

absl::Status SyncSession::StillValid() const {
  return still_valid_ ? still_valid_() : absl::OkStatus();
}

absl::StatusOr<AcceptedBatch> SyncSession::AcceptBatch(
    v1::PushRequest& request) const {
  if (absl::Status s = StillValid(); !s.ok()) return s;
  if (absl::Status s = CheckProtocol(request.protocol_version()); !s.ok()) {
    return s;
  }
  if (request.ByteSizeLong() > tuning::kMaxBatchBytes) {
    return WithReason(
        InvalidFieldError(
            "mutations",
            absl::StrCat("the batch is ", request.ByteSizeLong(),
                         " bytes; the limit is ", tuning::kMaxBatchBytes)),
        reason::kBatchTooLarge,
        {{"max_batch_bytes", absl::StrCat(tuning::kMaxBatchBytes)}});
  }
  // A device pushes only its own mutations.
  for (int i = 0; i < request.mutations_size(); ++i) {
    const std::string& id = request.mutations(i).device_id();
    if (id != device_.device_id) {
      return WithReason(
          InvalidFieldError(
              absl::StrCat("mutations[", i, "].device_id"),
              absl::StrCat("\"", id, "\" is not the calling device \"",
                           device_.device_id, "\"")),
          reason::kNotCallingDevice);
    }
  }
  AcceptedBatch batch;
  batch.zstd_results =
      Accepts(request.accepted_result_encodings(), v1::PAGE_ENCODING_ZSTD);
  batch.mutations.reserve(request.mutations_size());
  batch.resolved.reserve(request.mutations_size());
  // The policy's authority goes on first, as the writer puts it there too:
  // a device never carries more than its role.
  for (v1::Mutation& m : *request.mutable_mutations()) {
    if (device_.policy) m.set_authority(device_.policy->authority);
    batch.resolved.push_back(Resolve(m));
    batch.mutations.push_back(std::move(m));
  }
  request.clear_mutations();
  return batch;
}

v1::PushResponse SyncSession::Answer(v1::PushResponse applied,
                                     bool zstd_results) const {
  applied.set_max_batch_bytes(tuning::kMaxBatchBytes);
  // zstd instead of gRPC's gzip, which cost more than anything else in
  // answering a batch.
  if (zstd_results) EncodePushResults(applied, tuning::kPageZstdLevelSmall);
  return applied;
}

absl::StatusOr<PullPlan> SyncSession::AcceptPull(
    const v1::PullRequest& request) const {
  if (absl::Status s = StillValid(); !s.ok()) return s;
  if (absl::Status s = CheckProtocol(request.protocol_version()); !s.ok()) {
    return s;
  }
  PullPlan plan;
  plan.encoding =
      Accepts(request.accepted_page_encodings(), v1::PAGE_ENCODING_ZSTD)
          ? v1::PAGE_ENCODING_ZSTD
          : v1::PAGE_ENCODING_UNSPECIFIED;
  plan.page_bytes =
      request.max_page_bytes() == 0
          ? tuning::kDefaultPageBytes
          : std::min(request.max_page_bytes(), tuning::kMaxPageBytes);
  plan.cursor = request.cursor();
  return plan;
}

absl::StatusOr<ServerReplica::PullPage> SyncSession::ReadPage(
    const PullPlan& plan, const std::string& cursor) const {
  return replica_->PullBytes(device_.read_scopes, cursor, plan.page_bytes);
}

absl::StatusOr<std::string> SyncSession::EncodePage(
    const PullPlan& plan, ServerReplica::PullPage page, bool first_page,
    bool slow_link) const {
  // Only when the pull goes on: the estimate reads the scope log's keys.
  if (first_page && !page.done) {
    absl::StatusOr<uint64_t> size =
        replica_->EstimatePull(device_.read_scopes, plan.cursor);
    if (size.ok()) AppendEstimatedDocuments(page.bytes, *size);
  }
  return EncodePageDocuments(
      std::move(page.bytes), plan.encoding,
      slow_link ? tuning::kPageZstdLevelSmall : tuning::kPageZstdLevelFast);
}

absl::Status SyncSession::PullPages(
    const PullPlan& plan,
    const std::function<absl::Status(std::string page_bytes, bool done)>&
        on_page) const {
  std::string cursor = plan.cursor;
  for (bool first = true;; first = false) {
    // No page leaves after a revocation.
    if (absl::Status s = StillValid(); !s.ok()) return s;
    absl::StatusOr<ServerReplica::PullPage> page = ReadPage(plan, cursor);
    if (!page.ok()) return page.status();
    const bool done = page->done;
    cursor = page->cursor;
    absl::StatusOr<std::string> bytes =
        EncodePage(plan, *std::move(page), first, /*slow_link=*/false);
    if (!bytes.ok()) return bytes.status();
    if (absl::Status s = on_page(*std::move(bytes), done); !s.ok()) return s;
    if (done) return absl::OkStatus();
  }
}

}  // namespace fieldsync
