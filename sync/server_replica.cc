#include "sync/server_replica.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "sync/keys.h"
#include "sync/review_bounds.h"
#include "sync/scopes.h"
#include "sync/server_replica_internal.h"
#include "sync/status_macros.h"

namespace fieldsync {

using replica_internal::FillAggregatesOnce;
using replica_internal::kLockedYearPrefix;
using replica_internal::RewriteDocsDeterministically;

void CountOutcome(v1::ImportSummary& summary, v1::MutationOutcome outcome) {
  switch (outcome) {
    case v1::MUTATION_OUTCOME_APPLIED:
      summary.set_applied(summary.applied() + 1);
      break;
    case v1::MUTATION_OUTCOME_MERGED:
      summary.set_merged(summary.merged() + 1);
      break;
    case v1::MUTATION_OUTCOME_CONFLICT:
      summary.set_conflict(summary.conflict() + 1);
      break;
    case v1::MUTATION_OUTCOME_DUPLICATE:
      summary.set_duplicate(summary.duplicate() + 1);
      break;
    case v1::MUTATION_OUTCOME_AMENDMENT:
      summary.set_amendment(summary.amendment() + 1);
      break;
    default:
      summary.set_rejected(summary.rejected() + 1);
      break;
  }
}

void AddDocument(WriteSet& writes, std::shared_ptr<const v1::Document> doc) {
  for (const std::string& scope : doc->scopes()) {
    writes.PutScopeLog({scope, doc->version(), doc->key()});
  }
  writes.PutDoc(std::move(doc));
}

absl::StatusOr<std::unique_ptr<ServerReplica>> ServerReplica::Open(
    ServerReplicaOptions options) {
  if (options.store == nullptr || options.areas == nullptr ||
      options.clock == nullptr) {
    return absl::InvalidArgumentError("replica needs a store, areas, a clock");
  }
  std::unique_ptr<ServerReplica> replica(new ServerReplica(std::move(options)));
  {
    absl::MutexLock lock(&replica->areas_mu_);
    replica->areas_ =
        std::make_shared<const AreaTree>(*replica->options_.areas);
  }
  FS_RETURN_IF_ERROR(RewriteDocsDeterministically(*replica->options_.store));
  if (replica->options_.aggregates) {
    FS_RETURN_IF_ERROR(FillAggregatesOnce(*replica->options_.store));
  }
  FS_RETURN_IF_ERROR(CountOpenReviewsOnce(*replica->options_.store));
  FS_ASSIGN_OR_RETURN(std::optional<std::string> last,
                      replica->options_.store->GetMeta(kLastSequenceMetaKey));
  absl::MutexLock lock(&replica->write_mu_);
  replica->last_sequence_ = last ? ReadBigEndian64(*last).value_or(0) : 0;
  replica->last_catalogue_change_ = replica->last_sequence_;
  absl::MutexLock committed(&replica->commit_mu_);
  replica->committed_sequence_ = replica->last_sequence_;
  replica->committed_catalogue_change_ = replica->last_sequence_;
  FS_RETURN_IF_ERROR(replica->options_.store->ScanMeta(
      kLockedYearPrefix, [&](std::string_view key, std::string_view) {
        replica->options_.locked_years.insert(std::string(
            key.substr(std::string_view(kLockedYearPrefix).size())));
        return true;
      }));
  return replica;
}

std::vector<std::string> ServerReplica::locked_years() const {
  absl::MutexLock lock(&write_mu_);
  std::vector<std::string> years(options_.locked_years.begin(),
                                 options_.locked_years.end());
  std::sort(years.begin(), years.end());
  return years;
}

uint64_t ServerReplica::aggregate_mismatches() const {
  absl::MutexLock lock(&write_mu_);
  return aggregate_mismatches_;
}

uint64_t ServerReplica::last_sequence() const {
  absl::MutexLock lock(&commit_mu_);
  return committed_sequence_;
}

uint64_t ServerReplica::last_catalogue_change() const {
  absl::MutexLock lock(&commit_mu_);
  return committed_catalogue_change_;
}

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

absl::StatusOr<v1::Document> ServerReplica::WriteServerDocument(
    v1::Document doc, v1::AuditEvent audit) {
  absl::MutexLock lock(&write_mu_);
  FS_RETURN_IF_ERROR(AwaitCommittedLocked());
  const uint64_t sequence = last_sequence_ + 1;
  doc.set_version(sequence);
  doc.clear_scopes();
  for (std::string& scope : ScopesOf(doc, *areas())) {
    doc.add_scopes(std::move(scope));
  }
  WriteSet writes;
  AddDocument(writes, std::make_shared<const v1::Document>(doc));
  if (!audit.kind().empty()) writes.PutAudit(std::move(audit));
  writes.PutMeta(std::string(kLastSequenceMetaKey), SequenceKey(sequence));
  FS_RETURN_IF_ERROR(CommittedAlone(options_.store->Apply(writes), sequence));
  return doc;
}

absl::StatusOr<std::vector<v1::Area>> ServerReplica::WriteAreas(
    std::vector<v1::Area> areas, v1::AuditEvent audit) {
  absl::MutexLock lock(&write_mu_);
  FS_RETURN_IF_ERROR(AwaitCommittedLocked());
  FS_ASSIGN_OR_RETURN(AreaTree next, this->areas()->With(areas));
  WriteSet writes;
  uint64_t sequence = last_sequence_;
  for (const v1::Area& area : areas) {
    auto doc = std::make_shared<v1::Document>();
    doc->set_key(DocKey(kAreaKind, area.id()));
    doc->set_version(++sequence);
    *doc->mutable_area() = area;
    for (std::string& scope : ScopesOf(*doc, next)) {
      doc->add_scopes(std::move(scope));
    }
    AddDocument(writes, std::move(doc));
  }
  writes.PutAudit(std::move(audit));
  writes.PutMeta(std::string(kLastSequenceMetaKey), SequenceKey(sequence));
  FS_RETURN_IF_ERROR(CommittedAlone(options_.store->Apply(writes), sequence));
  last_catalogue_change_ = sequence;
  {
    absl::MutexLock committed(&commit_mu_);
    committed_catalogue_change_ = sequence;
  }
  absl::MutexLock swap(&areas_mu_);
  areas_ = std::make_shared<const AreaTree>(std::move(next));
  return areas;
}

std::shared_ptr<const AreaTree> ServerReplica::areas() const {
  absl::MutexLock lock(&areas_mu_);
  return areas_;
}

}  // namespace fieldsync
