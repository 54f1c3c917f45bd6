// Worker threads that run the server's storage work, so that gRPC's callback
// threads never block on RocksDB (STYLE.md 9). The executor owns its
// threads; tasks run in submission order when there is one thread.
#ifndef FIELDSYNC_SERVER_EXECUTOR_H_
#define FIELDSYNC_SERVER_EXECUTOR_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace fieldsync::server {

class Executor {
 public:
  explicit Executor(int threads);
  // Runs what was submitted, then joins the threads.
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  void Submit(std::function<void()> task) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Work() ABSL_LOCKS_EXCLUDED(mu_);

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_EXECUTOR_H_
