#include "server/group_commit.h"

#include "sync/tuning.h"

namespace fieldsync::server {
GroupCommitter::GroupCommitter(ServerReplica* replica)
    : replica_(replica), writer_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();
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

void GroupCommitter::Run() {
  while (true) {
    std::vector<Pending> group;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](GroupCommitter* g) ABSL_EXCLUSIVE_LOCKS_REQUIRED(g->mu_) {
            return g->stopping_ || !g->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, nothing left
      // Take what has gathered while the last group was being written, up
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
    }
    Commit(std::move(group));
  }
}

void GroupCommitter::Commit(std::vector<Pending> group) {
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
  absl::StatusOr<v1::PushResponse> applied =
      replica_->Push(std::move(all), policies, resolved);
  int next = 0;
  for (Pending& p : group) {
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
