// The push and pull streams open for enrolled devices, so that revoking a
// device or replacing its secret ends them at once: each is cancelled with
// UNAUTHENTICATED saying why, which sends the client the status at once and
// drops a page not yet sent. (The reactors also check before each page and
// batch; this reaches the streams that wait, on a slow reader or on the
// next batch.) Thread-safe.
#ifndef FIELDSYNC_SERVER_OPEN_STREAMS_H_
#define FIELDSYNC_SERVER_OPEN_STREAMS_H_

#include <grpc/grpc.h>
#include <grpcpp/server_context.h>

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "server/authenticator.h"

namespace fieldsync::server {

class OpenStreams {
 public:
  // `auth` must outlive this.
  explicit OpenStreams(const Authenticator* auth) : auth_(auth) {}
  ~OpenStreams();
  OpenStreams(const OpenStreams&) = delete;
  OpenStreams& operator=(const OpenStreams&) = delete;

  // Registers the stream `context` serves for `caller`, until Remove (call
  // it in the reactor's OnDone); an id for Remove.
  uint64_t Add(const Caller& caller, grpc::CallbackServerContext* context)
      ABSL_LOCKS_EXCLUDED(mu_);
  void Remove(uint64_t id) ABSL_LOCKS_EXCLUDED(mu_);

  // Cancels every stream of `device_id` whose caller is no longer valid
  // (Authenticator::StillValid), with that status.
  void Revalidate(const std::string& device_id) ABSL_LOCKS_EXCLUDED(mu_);

  // The streams open now, and how many devices they are for (the
  // connected devices of the server's metrics). O(streams open).
  struct Counts {
    size_t streams = 0;
    size_t devices = 0;
  };
  Counts Count() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Stream {
    Caller caller;
    grpc_call* call = nullptr;  // a reference held until Remove
  };

  const Authenticator* const auth_;
  mutable absl::Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<uint64_t, Stream> streams_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_OPEN_STREAMS_H_
