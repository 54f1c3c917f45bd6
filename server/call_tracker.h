// Counts the calls being served, so shutdown can wait for exactly them.
//
// gRPC's graceful shutdown sends GOAWAY and then waits, up to its deadline,
// for every client to close its connection, even an idle one. So the server
// waits here for the calls in flight (up to the grace period), then shuts
// gRPC down at once.
// Thread-safe: handlers run on gRPC's callback threads.
#ifndef FIELDSYNC_SERVER_CALL_TRACKER_H_
#define FIELDSYNC_SERVER_CALL_TRACKER_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace fieldsync::server {

class CallTracker {
 public:
  // Marks one call in flight for its lifetime.
  class Scope {
   public:
    explicit Scope(CallTracker* tracker) : tracker_(tracker) {
      absl::MutexLock lock(&tracker_->mu_);
      ++tracker_->active_;
    }
    ~Scope() {
      absl::MutexLock lock(&tracker_->mu_);
      --tracker_->active_;
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    CallTracker* tracker_;
  };

  int active() const {
    absl::MutexLock lock(&mu_);
    return active_;
  }

  // Waits until no call is in flight, or `timeout` passes; true if idle.
  bool WaitIdle(absl::Duration timeout) const {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(
        absl::Condition(
            +[](const int* active) { return *active == 0; }, &active_),
        timeout);
  }

 private:
  mutable absl::Mutex mu_;
  int active_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_CALL_TRACKER_H_
