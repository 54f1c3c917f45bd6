// Admin RPCs change documents the way tablets do: as mutations through the
// replica's merge, with the caller's write policy, so every change is
// versioned, scoped, synced to tablets and open to review like any other.
// Each caller gets its own mutation stream ("<device>~admin") so its RPCs
// never collide with the sequence numbers of its own tablet outbox.
//
// Concurrency: `mu_` serialises "read the stream's last seq, push the
// next", so two RPCs of one caller never take the same seq.
#ifndef FIELDSYNC_SERVER_ADMIN_WRITER_H_
#define FIELDSYNC_SERVER_ADMIN_WRITER_H_

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/authenticator.h"
#include "sync/server_replica.h"
#include "sync/store.h"

namespace fieldsync::server {

class AdminWriter {
 public:
  // Both must outlive the writer.
  AdminWriter(ServerReplica* replica, Store* store)
      : replica_(replica), store_(store) {}

  // Applies `sets` to `key` on `base_version` for `caller`, with `audit`
  // in the same batch unless the merge refuses it. A mutation the merge
  // refused comes back as FailedPrecondition with its reason; conflicts and
  // amendments are results (the review queue has them).
  absl::StatusOr<v1::MutationResult> Write(const Caller& caller,
                                           const std::string& key,
                                           uint64_t base_version,
                                           std::vector<v1::FieldSet> sets,
                                           v1::AuditEvent audit)
      ABSL_LOCKS_EXCLUDED(mu_);

  // One document change of a WriteAll.
  struct Edit {
    std::string key;
    uint64_t base_version = 0;
    std::vector<v1::FieldSet> sets;
    bool del = false;
  };
  // Applies `edits` in order as one batch (one durable write), with what
  // `also` adds to it, and closing the review items `closes` (as resolved)
  // unless an edit is refused (ServerReplica::Push). Each result, refusals
  // included (the caller checks them first).
  absl::StatusOr<std::vector<v1::MutationResult>> WriteAll(
      const Caller& caller, std::vector<Edit> edits, const AlsoWrite& also,
      const std::vector<v1::ConflictRecord>& closes = {})
      ABSL_LOCKS_EXCLUDED(mu_);

  // The mutation stream of `device_id`'s admin RPCs.
  static std::string StreamOf(const std::string& device_id);

 private:
  ServerReplica* const replica_;
  Store* const store_;
  absl::Mutex mu_;
};

// Writes `event` into the group's batch unless the merge refused one of its
// mutations: an admin action and its audit record land together.
AlsoWrite AuditUnlessRefused(v1::AuditEvent event);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_ADMIN_WRITER_H_
