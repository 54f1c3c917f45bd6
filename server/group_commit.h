// Group commit: push batches from all streams queue to one merging thread,
// which merges whatever has gathered as one group (ServerReplica::Prepare),
// so many tablets share one WriteBatch and one fsync instead of paying one
// each (STYLE.md 8). A second thread writes the groups in order
// (ServerReplica::Commit): group N+1 is merged while group N is written.
// Each batch still gets exactly its own results and summary, and its answer
// only once its whole group is durable.
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

class ServerMetrics;

class GroupCommitter {
 public:
  using Done = std::function<void(absl::StatusOr<v1::PushResponse>)>;

  // `replica` must outlive the committer, which owns its two threads;
  // so must `metrics`, if given, where group sizes and write times go.
  explicit GroupCommitter(ServerReplica* replica,
                          ServerMetrics* metrics = nullptr);
  // Applies what is queued, then stops the threads.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues a batch; `done` runs on the committing thread once it is durable
  // (or failed). Batches apply in the order they were submitted.
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
  // A merged group and the batches whose answers it holds.
  struct Prepared {
    absl::StatusOr<ServerReplica::PreparedPush> push;
    std::vector<Pending> batches;
  };
  // The merging thread's loop, and the committing thread's.
  void Merge() ABSL_LOCKS_EXCLUDED(mu_);
  void Commit() ABSL_LOCKS_EXCLUDED(mu_);
  Prepared Prepare(std::vector<Pending> group);
  void CommitInOrder(std::vector<Prepared> ready);
  static void Answer(Prepared prepared,
                     absl::StatusOr<v1::PushResponse> applied);

  ServerReplica* const replica_;
  ServerMetrics* const metrics_;
  mutable absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  // Merged groups waiting to be written, oldest first.
  std::deque<Prepared> prepared_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool merged_all_ ABSL_GUARDED_BY(mu_) = false;  // the merger has exited
  int groups_ ABSL_GUARDED_BY(mu_) = 0;
  int batches_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread merger_;
  std::thread committer_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_GROUP_COMMIT_H_
