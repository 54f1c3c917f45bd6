// Group commit: push batches from all streams queue to one writer thread,
// which applies whatever has gathered as one ServerReplica::Push, so many
// tablets share one WriteBatch and one fsync instead of paying one each
// (STYLE.md 8). Each batch still gets exactly its own results and summary,
// and its answer only once the whole group is durable.
#ifndef FIELDSYNC_SERVER_GROUP_COMMIT_H_
#define FIELDSYNC_SERVER_GROUP_COMMIT_H_

#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "fieldsync/v1/sync.pb.h"
#include "sync/server_replica.h"

namespace fieldsync::server {

class GroupCommitter {
 public:
  using Done = std::function<void(absl::StatusOr<v1::PushResponse>)>;

  // `replica` must outlive the committer, which owns its writer thread.
  explicit GroupCommitter(ServerReplica* replica);
  // Applies what is queued, then stops the writer thread.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues a batch; `done` runs on the writer thread once it is durable (or
  // failed). Batches apply in the order they were submitted.
  // `policy` (may be null: unrestricted) must live until `done` runs.
  void Submit(std::vector<v1::Mutation> batch, const WritePolicy* policy,
              Done done) ABSL_LOCKS_EXCLUDED(mu_);
  // The same with each mutation's Resolve() (merge.h) made by the caller,
  // off the writer thread; `resolved` is empty or one per mutation.
  void Submit(std::vector<v1::Mutation> batch,
              std::vector<std::shared_ptr<const ResolvedMutation>> resolved,
              const WritePolicy* policy, Done done) ABSL_LOCKS_EXCLUDED(mu_);

  // How many groups and batches were written (for tests and metrics).
  int groups() const ABSL_LOCKS_EXCLUDED(mu_);
  int batches() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Pending {
    std::vector<v1::Mutation> batch;
    std::vector<std::shared_ptr<const ResolvedMutation>> resolved;
    const WritePolicy* policy;
    Done done;
  };
  void Run() ABSL_LOCKS_EXCLUDED(mu_);
  void Commit(std::vector<Pending> group);

  ServerReplica* const replica_;
  mutable absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int groups_ ABSL_GUARDED_BY(mu_) = 0;
  int batches_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread writer_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_GROUP_COMMIT_H_
