#include "server/group_commit.h"

#include "absl/time/clock.h"
#include "server/server_metrics.h"
#include "sync/tuning.h"

namespace fieldsync::server {
GroupCommitter::GroupCommitter(ServerReplica* replica, ServerMetrics* metrics)
    : replica_(replica),
      metrics_(metrics),
      merger_([this] { Merge(); }),
      committer_([this] { Commit(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  merger_.join();
  committer_.join();
}

void GroupCommitter::Submit(std::vector<v1::Mutation> batch,
                            const WritePolicy* policy, Done done) {
  Submit(std::move(batch), {}, policy, std::move(done));
}

void GroupCommitter::Submit(
    std::vector<v1::Mutation> batch,
    std::vector<std::shared_ptr<const ResolvedMutation>> resolved,
    const WritePolicy* policy, Done done) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(
      {std::move(batch), std::move(resolved), policy, std::move(done)});
}

int GroupCommitter::groups() const {
  absl::MutexLock lock(&mu_);
  return groups_;
}

int GroupCommitter::batches() const {
  absl::MutexLock lock(&mu_);
  return batches_;
}

void GroupCommitter::Merge() {
  while (true) {
    std::vector<Pending> group;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](GroupCommitter* g) ABSL_EXCLUSIVE_LOCKS_REQUIRED(g->mu_) {
            return g->stopping_ || !g->queue_.empty();
          },
          this));
      if (queue_.empty()) {  // stopping, nothing left
        merged_all_ = true;
        return;
      }
      // Take what has gathered while the last group was being merged, up
      // to a bound so one group's WriteBatch stays reasonable.
      size_t mutations = 0;
      while (!queue_.empty() &&
             (group.empty() || mutations + queue_.front().batch.size() <=
                                   tuning::kMaxMutationsPerGroup)) {
        mutations += queue_.front().batch.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      ++groups_;
      batches_ += static_cast<int>(group.size());
      if (metrics_ != nullptr) metrics_->GroupMerged(group.size(), mutations);
    }
    Prepared prepared = Prepare(std::move(group));
    absl::MutexLock lock(&mu_);
    // While the writes lag, batches gather into the next, larger group.
    mu_.Await(absl::Condition(
        +[](GroupCommitter* g) ABSL_EXCLUSIVE_LOCKS_REQUIRED(g->mu_) {
          return g->prepared_.size() < tuning::kGroupsPreparedAhead;
        },
        this));
    prepared_.push_back(std::move(prepared));
  }
}

void GroupCommitter::Commit() {
  while (true) {
    // Every group merged while the last write was going on: one write, one
    // fsync for all of them.
    std::vector<Prepared> ready;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](GroupCommitter* g) ABSL_EXCLUSIVE_LOCKS_REQUIRED(g->mu_) {
            return g->merged_all_ || !g->prepared_.empty();
          },
          this));
      if (prepared_.empty()) return;  // the merger is gone, nothing left
      while (!prepared_.empty()) {
        ready.push_back(std::move(prepared_.front()));
        prepared_.pop_front();
      }
    }
    CommitInOrder(std::move(ready));
  }
}

void GroupCommitter::CommitInOrder(std::vector<Prepared> ready) {
  // A group whose merge failed wrote nothing (and was given no place in
  // the replica's order): it is answered with its error, in its turn.
  size_t from = 0;
  while (from < ready.size()) {
    if (!ready[from].push.ok()) {
      absl::Status failed = ready[from].push.status();
      Answer(std::move(ready[from]), failed);
      ++from;
      continue;
    }
    size_t to = from;
    std::vector<ServerReplica::PreparedPush> pushes;
    while (to < ready.size() && ready[to].push.ok()) {
      pushes.push_back(*std::move(ready[to].push));
      ++to;
    }
    const absl::Time start = absl::Now();
    absl::StatusOr<std::vector<v1::PushResponse>> applied =
        replica_->Commit(std::move(pushes));
    if (metrics_ != nullptr) {
      metrics_->GroupsCommitted(to - from, absl::Now() - start, applied.ok());
    }
    for (size_t i = from; i < to; ++i) {
      if (applied.ok()) {
        Answer(std::move(ready[i]), std::move((*applied)[i - from]));
      } else {
        Answer(std::move(ready[i]), applied.status());
      }
    }
    from = to;
  }
}

GroupCommitter::Prepared GroupCommitter::Prepare(std::vector<Pending> group) {
  std::vector<v1::Mutation> all;
  std::vector<const WritePolicy*> policies;
  std::vector<std::shared_ptr<const ResolvedMutation>> resolved;
  bool restricted = false;
  bool any_resolved = false;
  for (Pending& p : group) {
    restricted |= p.policy != nullptr;
    any_resolved |= !p.resolved.empty();
    for (size_t i = 0; i < p.batch.size(); ++i) {
      all.push_back(std::move(p.batch[i]));
      policies.push_back(p.policy);
      resolved.push_back(p.resolved.empty() ? nullptr
                                            : std::move(p.resolved[i]));
    }
  }
  // Null policies mean "unrestricted"; pass none at all when no batch has one.
  if (!restricted) policies.clear();
  if (!any_resolved) resolved.clear();
  return {replica_->Prepare(std::move(all), policies, resolved),
          std::move(group)};
}

void GroupCommitter::Answer(Prepared prepared,
                            absl::StatusOr<v1::PushResponse> applied) {
  int next = 0;
  for (Pending& p : prepared.batches) {
    if (!applied.ok()) {
      p.done(applied.status());
      continue;
    }
    // Split the group's results back into each batch's own answer.
    v1::PushResponse own;
    for (size_t i = 0; i < p.batch.size(); ++i) {
      v1::MutationResult* r = own.add_results();
      r->Swap(applied->mutable_results(next++));
      CountOutcome(*own.mutable_summary(), r->outcome());
    }
    p.done(std::move(own));
  }
}

}  // namespace fieldsync::server
