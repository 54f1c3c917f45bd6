// fs_sync: LocalReplica::Sync over a SyncClient, with the C callbacks given
// plain structs.
#include <utility>

#include "client-sdk/c_api/c_error.h"
#include "client-sdk/c_api/replica_handle.h"
#include "fieldsync/v1/sync.pb.h"
#include "sync/status_macros.h"

namespace fieldsync::capi {
namespace {

// fs_notice_kind is v1::NoticeKind's numbering, so a kind converts by a cast.
static_assert(static_cast<int>(FS_NOTICE_CONFLICT) == v1::NOTICE_KIND_CONFLICT);
static_assert(static_cast<int>(FS_NOTICE_REJECTED) == v1::NOTICE_KIND_REJECTED);
static_assert(static_cast<int>(FS_NOTICE_AMENDMENT) ==
              v1::NOTICE_KIND_AMENDMENT);

// fs_reason is v1::MutationReason's numbering, value for value.
constexpr bool SameReasonNumbers() {
  constexpr std::pair<fs_reason, v1::MutationReason> kPairs[] = {
      {FS_REASON_UNSPECIFIED, v1::MUTATION_REASON_UNSPECIFIED},
      {FS_REASON_OUT_OF_ORDER, v1::MUTATION_REASON_OUT_OF_ORDER},
      {FS_REASON_SEQ_REUSED, v1::MUTATION_REASON_SEQ_REUSED},
      {FS_REASON_REVIEW_QUEUE_FULL, v1::MUTATION_REASON_REVIEW_QUEUE_FULL},
      {FS_REASON_REVIEW_ITEM_TOO_LARGE,
       v1::MUTATION_REASON_REVIEW_ITEM_TOO_LARGE},
      {FS_REASON_INVALID_MUTATION, v1::MUTATION_REASON_INVALID_MUTATION},
      {FS_REASON_INVALID_VALUE, v1::MUTATION_REASON_INVALID_VALUE},
      {FS_REASON_OUTSIDE_SCOPE, v1::MUTATION_REASON_OUTSIDE_SCOPE},
      {FS_REASON_AUTHORITY, v1::MUTATION_REASON_AUTHORITY},
      {FS_REASON_STATUS_TRANSITION, v1::MUTATION_REASON_STATUS_TRANSITION},
      {FS_REASON_AREA_SUPERSEDED, v1::MUTATION_REASON_AREA_SUPERSEDED},
      {FS_REASON_UNKNOWN_BASE, v1::MUTATION_REASON_UNKNOWN_BASE},
      {FS_REASON_DOCUMENT_DELETED, v1::MUTATION_REASON_DOCUMENT_DELETED},
      {FS_REASON_FIELD_CONFLICT, v1::MUTATION_REASON_FIELD_CONFLICT},
      {FS_REASON_DELETE_CONFLICT, v1::MUTATION_REASON_DELETE_CONFLICT},
      {FS_REASON_YEAR_LOCKED, v1::MUTATION_REASON_YEAR_LOCKED},
      {FS_REASON_REPORT_ACCEPTED, v1::MUTATION_REASON_REPORT_ACCEPTED},
  };
  for (const auto& [c, proto] : kPairs) {
    if (static_cast<int>(c) != static_cast<int>(proto)) return false;
  }
  // A code appended to the proto is appended here too.
  return static_cast<int>(v1::MutationReason_MAX) ==
         static_cast<int>(FS_REASON_REPORT_ACCEPTED);
}
static_assert(SameReasonNumbers(),
              "fs_reason must list every MutationReason with its number");

fs_progress ToC(const client::SyncProgress& p) {
  return {.pushed_documents = p.pushed_documents,
          .push_total_documents = p.push_total_documents,
          .pushed_bytes = p.pushed_bytes,
          .push_total_bytes = p.push_total_bytes,
          .pulled_documents = p.pulled_documents,
          .pulled_bytes = p.pulled_bytes,
          .attempt = p.attempt,
          .pull_total_documents = p.pull_total_documents};
}

// Points into `n`, which must outlive the result.
fs_notice ToC(const v1::Notice& n) {
  return {.kind = static_cast<fs_notice_kind>(n.kind()),
          .key = n.key().c_str(),
          .path = n.path().c_str(),
          .local_value = n.local_value().c_str(),
          .server_value = n.server_value().c_str(),
          .reason = n.reason().c_str(),
          .author = n.author().c_str(),
          .mutation_seq = n.mutation_seq(),
          .device_time_micros = n.device_time_micros(),
          .reason_code = static_cast<int>(n.reason_code())};
}

absl::Status Sync(fs_replica* replica, fs_progress_fn on_progress,
                  fs_notice_fn on_notice, void* user_data,
                  fs_sync_summary* summary) {
  FS_RETURN_IF_ERROR(Required(replica, "replica"));
  if (!replica->link.has_value()) {
    return absl::FailedPreconditionError(
        "this replica was opened without a server (server_target NULL)");
  }
  client::SyncOptions options;
  if (on_progress != nullptr) {
    options.on_progress = [&](const client::SyncProgress& p) {
      const fs_progress progress = ToC(p);
      on_progress(&progress, user_data);
    };
  }
  if (on_notice != nullptr) {
    options.on_notice = [&](const v1::Notice& n) {
      const fs_notice notice = ToC(n);
      on_notice(&notice, user_data);
    };
  }
  // A client per call: it is cheap next to a sync, and holds no channel
  // open between syncs on a tablet that is mostly offline.
  client::SyncClient link(*replica->link);
  FS_ASSIGN_OR_RETURN(client::SyncReport report,
                      replica->replica->Sync(link, options));
  if (summary != nullptr) {
    *summary = {.pushed = report.pushed,
                .pulled = report.pulled,
                .attempts = report.attempts,
                .attention = static_cast<int>(report.attention.size())};
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace fieldsync::capi

extern "C" int fs_sync(fs_replica* replica, fs_progress_fn on_progress,
                       fs_notice_fn on_notice, void* user_data,
                       fs_sync_summary* summary, fs_error** err) noexcept {
  return fieldsync::capi::Guard(err,
                                [&] {
                                  return fieldsync::capi::Sync(
                                      replica, on_progress, on_notice,
                                      user_data, summary);
                                })
             ? 0
             : -1;
}
