// ServerReplica's commit, a push's second step: writes prepared groups in
// the order of Prepare, consecutive ones with one fsync, and stops every
// write after one fails (fail-stop, sync/server_replica.h).
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "sync/server_replica.h"
#include "sync/status_macros.h"

namespace fieldsync {

absl::StatusOr<v1::PushResponse> ServerReplica::Push(
    std::vector<v1::Mutation> mutations,
    const std::vector<const WritePolicy*>& policies,
    const std::vector<std::shared_ptr<const ResolvedMutation>>& resolved,
    const AlsoWrite& also, const std::vector<v1::ConflictRecord>& closes) {
  FS_ASSIGN_OR_RETURN(
      PreparedPush prepared,
      Prepare(std::move(mutations), policies, resolved, also, closes));
  absl::StatusOr<v1::PushResponse> response = Commit(std::move(prepared));
  // Nothing is left to read through: free the group's overlay now rather
  // than at the next push.
  absl::MutexLock lock(&write_mu_);
  DropCommittedLocked();
  return response;
}

void ServerReplica::DropCommittedLocked() {
  absl::MutexLock committed(&commit_mu_);
  while (!pending_.empty() &&
         prepared_groups_ - pending_.size() < committed_groups_) {
    pending_.pop_front();
  }
}

absl::StatusOr<v1::PushResponse> ServerReplica::Commit(PreparedPush prepared) {
  std::vector<PreparedPush> one;
  one.push_back(std::move(prepared));
  FS_ASSIGN_OR_RETURN(std::vector<v1::PushResponse> responses,
                      Commit(std::move(one)));
  return std::move(responses.front());
}

absl::StatusOr<std::vector<v1::PushResponse>> ServerReplica::Commit(
    std::vector<PreparedPush> prepared) {
  for (size_t i = 1; i < prepared.size(); ++i) {
    if (prepared[i].group_ <= prepared[i - 1].group_) {
      return absl::InternalError("prepared groups are committed in order");
    }
  }
  // Runs of consecutive groups, each written with one fsync. Another
  // caller's group between two runs (an admin's push) is written by that
  // caller in its turn. Every run is marked committed, even after a failure,
  // so that no later group waits for it forever.
  absl::Status status;
  size_t from = 0;
  while (from < prepared.size()) {
    size_t to = from + 1;
    while (to < prepared.size() &&
           prepared[to].group_ == prepared[to - 1].group_ + 1) {
      ++to;
    }
    absl::Status run = CommitRun(prepared, from, to);
    if (status.ok()) status = run;
    from = to;
  }
  FS_RETURN_IF_ERROR(status);
  std::vector<v1::PushResponse> responses;
  responses.reserve(prepared.size());
  for (PreparedPush& p : prepared) responses.push_back(std::move(p.response_));
  return responses;
}

absl::Status ServerReplica::CommitRun(std::vector<PreparedPush>& prepared,
                                      size_t from, size_t to) {
  const uint64_t first = prepared[from].group_;
  const uint64_t last = prepared[to - 1].group_;
  {
    absl::MutexLock lock(&commit_mu_);
    auto its_turn = [this, first]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mu_) {
      return committed_groups_ == first - 1;
    };
    commit_mu_.Await(absl::Condition(&its_turn));
    if (!failed_.ok()) {
      // Merged on top of a group that was never written: not written either.
      committed_groups_ = last;
      return failed_;
    }
  }
  // Alone here: the next groups wait for committed_groups_ to move.
  std::vector<std::unique_ptr<Store::PreparedWrite>> writes;
  for (size_t i = from; i < to; ++i) {
    if (prepared[i].write_ != nullptr) {
      writes.push_back(std::move(prepared[i].write_));
    }
  }
  absl::Status written =
      writes.empty() ? absl::OkStatus() : options_.store->ApplyPrepared(writes);
  absl::MutexLock lock(&commit_mu_);
  committed_groups_ = last;
  if (!written.ok()) {
    failed_ = absl::UnavailableError(
        absl::StrCat("a write failed; refusing further writes until restart: ",
                     written.message()));
    return failed_;
  }
  committed_sequence_ = prepared[to - 1].last_sequence_;
  committed_catalogue_change_ = prepared[to - 1].catalogue_change_;
  return absl::OkStatus();
}

absl::Status ServerReplica::AwaitCommittedLocked() {
  // Read under `write_mu_`, which the caller holds: no group is prepared
  // while this waits.
  const uint64_t prepared = prepared_groups_;
  absl::MutexLock lock(&commit_mu_);
  auto all_committed = [this, prepared]()
                           ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mu_) {
                             return committed_groups_ == prepared;
                           };
  commit_mu_.Await(absl::Condition(&all_committed));
  pending_.clear();
  return failed_;
}

// Every write of the replica's own ends here, so one that fails stops every
// later write the way a failed group does.
absl::Status ServerReplica::CommittedAlone(const absl::Status& written,
                                           uint64_t sequence) {
  absl::MutexLock lock(&commit_mu_);
  if (!written.ok()) {
    failed_ = absl::UnavailableError(
        absl::StrCat("a write failed; refusing further writes until restart: ",
                     written.message()));
    return failed_;
  }
  last_sequence_ = sequence;
  committed_sequence_ = sequence;
  return absl::OkStatus();
}

}  // namespace fieldsync
