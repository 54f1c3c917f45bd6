// The sync protocol's rules for one device's stream, apart from any
// transport: what a push batch must be to be taken, what authority its
// mutations carry, that a revoked device gets no further batch or page, how
// large a page may be and in which encoding answers and pages go out.
//
// The gRPC reactors (server/sync_service.cc) are thin adapters around it,
// and the client SDK's in-memory transport and the convergence simulation
// go through it too, so the rules the simulation exercises are the ones the
// server runs. A session never applies anything itself: a batch it accepted
// goes to the replica's one writer, as the caller's transport arranges.
//
// Thread-compatible: a stream uses its session from one reaction at a time;
// the const methods may be called from any thread.
#ifndef FIELDSYNC_SYNC_SYNC_SESSION_H_
#define FIELDSYNC_SYNC_SYNC_SESSION_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fieldsync/v1/sync.pb.h"
#include "sync/access.h"
#include "sync/merge.h"
#include "sync/server_replica.h"

namespace fieldsync {

// Who is on the other end, as the transport authenticated them.
struct SessionDevice {
  std::string device_id;
  // What the device reads.
  std::vector<std::string> read_scopes;
  // What it may write; nullopt: anything (development mode, trusted tests).
  std::optional<WritePolicy> policy;
};

// Whether the device may still be served: OK, or the refusal that ends its
// stream (revoked, or its secret replaced since the stream opened).
using StillValidFn = std::function<absl::Status()>;

// A push batch the session took, ready for the writer.
struct AcceptedBatch {
  // The request's mutations, moved out of it, each carrying the authority
  // of the device's policy.
  std::vector<v1::Mutation> mutations;
  // One Resolve() (merge.h) per mutation, made here so the writer only
  // merges.
  std::vector<std::shared_ptr<const ResolvedMutation>> resolved;
  // Whether the device reads zstd results.
  bool zstd_results = false;
};

// How one pull is served.
struct PullPlan {
  v1::PageEncoding encoding = v1::PAGE_ENCODING_UNSPECIFIED;
  uint32_t page_bytes = 0;
  std::string cursor;  // where the pull starts
};

class SyncSession {
 public:
  // `replica` must outlive the session; `still_valid` is asked before each
  // batch is taken and each page leaves (null: always valid).
  SyncSession(ServerReplica* replica, SessionDevice device,
              StillValidFn still_valid);

  const SessionDevice& device() const { return device_; }
  // The device's policy for the writer; null: unrestricted.
  const WritePolicy* policy() const {
    return device_.policy ? &*device_.policy : nullptr;
  }

  // Whether the device may still be served (see StillValidFn).
  absl::Status StillValid() const;

  // Takes one push request: the device still valid, the protocol spoken,
  // the batch within kMaxBatchBytes, and every mutation the caller's own
  // (InvalidArgument naming `mutations[i].device_id` otherwise). The
  // mutations are moved out of `request`.
  absl::StatusOr<AcceptedBatch> AcceptBatch(v1::PushRequest& request) const;

  // The answer to a batch as the device gets it: the batch limit it must
  // keep to, and the results as one zstd frame if it reads them so.
  v1::PushResponse Answer(v1::PushResponse applied, bool zstd_results) const;

  // Takes one pull request: the protocol spoken, the page size bounded,
  // zstd pages for a device that reads them.
  absl::StatusOr<PullPlan> AcceptPull(const v1::PullRequest& request) const;

  // Reads the page after `cursor` in the device's scopes.
  absl::StatusOr<ServerReplica::PullPage> ReadPage(
      const PullPlan& plan, const std::string& cursor) const;

  // The page's bytes as they leave: the first page of a pull that goes on
  // carries an estimate of its size (for a progress bar), and the documents
  // are encoded as planned, with zstd's small level on a `slow_link`.
  absl::StatusOr<std::string> EncodePage(const PullPlan& plan,
                                         ServerReplica::PullPage page,
                                         bool first_page, bool slow_link) const;

  // The whole pull in one call, page by page, for transports that keep no
  // pipeline of their own: the device is checked before each page, and
  // each page's bytes go to `on_page`, whose error (the link broke) ends
  // the pull and is returned.
  absl::Status PullPages(
      const PullPlan& plan,
      const std::function<absl::Status(std::string page_bytes, bool done)>&
          on_page) const;

 private:
  ServerReplica* replica_;
  SessionDevice device_;
  StillValidFn still_valid_;
};

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_SYNC_SESSION_H_
