// The authoritative replica: applies device mutations through the merge
// rules and serves what changed, per scope, since a cursor.
//
// Concurrency: a push is two steps, so that one group can be merged while
// the one before it is written. Prepare() merges under `write_mu_`: sequence
// numbers are handed out in order, and a group reads through the groups
// prepared before it and not yet committed, and its writes are encoded as
// one RocksDB WriteBatch. Commit() writes prepared groups without
// `write_mu_`, strictly in the order of Prepare(), several with one fsync.
// Push() is the two in a row. Pull()
// only reads committed data and runs concurrently with both. After a failed
// write the replica refuses every further push (fail-stop), and the groups
// prepared on top of the failed one are not written either: what was
// acknowledged stays exactly what is stored, and a restart recovers from
// the store.
#ifndef FIELDSYNC_SYNC_SERVER_REPLICA_H_
#define FIELDSYNC_SYNC_SERVER_REPLICA_H_

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "fieldsync/v1/sync.pb.h"
#include "sync/access.h"
#include "sync/area_tree.h"
#include "sync/clock.h"
#include "sync/cursor.h"
#include "sync/group_cells.h"
#include "sync/merge.h"
#include "sync/review_bounds.h"
#include "sync/store.h"
#include "sync/tuning.h"

namespace fieldsync {

namespace replica_internal {
struct GroupWrites;  // what one prepared group wrote (sync/group_writes.h)
}  // namespace replica_internal

// The data folder's format (sync/store_format.h); ServerReplica::Open
// migrates an older folder to it and refuses a newer one.
// 1: every document in its deterministic bytes, so a pull sends stored bytes
//    as they are and a tablet checks them as received.
inline constexpr uint32_t kServerStoreFormat = 1;

struct ServerReplicaOptions {
  // Required; must outlive the replica. `areas` is the hierarchy at open;
  // the replica keeps its own copy, which WriteAreas changes.
  Store* store = nullptr;
  const AreaTree* areas = nullptr;
  ClockSource* clock = nullptr;
  // Years the province has locked.
  absl::flat_hash_set<std::string> locked_years;
  // Whether pushes move the live aggregates (sync/aggregates.h). Off only
  // to measure what they cost (bench/): a store written without them has
  // wrong totals until its cells are recomputed.
  bool aggregates = true;
  // Aggregate cells kept in memory between groups (tuning.h); tests set a
  // small number to drive the cells' reads from the store and from groups
  // not yet written.
  size_t max_cached_cells = tuning::kMaxCachedAggregateCells;
  // Bounds of the review queue (tuning.h); tests set small ones.
  ReviewLimits review_limits;
};

// What else a group writes in its own batch, decided from its results: the
// audit event of an admin action, say (a review item it writes moves the
// queue's counts like one Push's `closes` closes). Runs
// under the replica's writer lock once the group is merged; it must not
// call back into the replica.
using AlsoWrite = std::function<void(const v1::PushResponse&, WriteSet&)>;

class ServerReplica {
 public:
  static absl::StatusOr<std::unique_ptr<ServerReplica>> Open(
      ServerReplicaOptions options);

  // Applies `mutations` in order and writes them as one batch. Each gets one
  // result; a device's mutations must arrive in mutation_seq order: one
  // already seen is a duplicate (its original result again), one that skips
  // ahead is rejected with the seq expected and not taken.
  //
  // `policies`, when given, holds one WritePolicy per mutation: what its
  // caller may write. The policy's authority replaces the mutation's, so a
  // device cannot claim more than its role.
  //
  // `resolved`, when given, holds one Resolve() (merge.h) per mutation, made
  // after the policy's authority was put on it, or nullptr: work the
  // writer need not do.
  //
  // `also`, when given, adds to the same batch what describes the change.
  //
  // A mutation that would open a review item past a bound of the queue
  // (review_bounds.h) is refused, nothing of it written. `closes`, when
  // given, are review items, as resolved, that the batch closes unless one
  // of its mutations is refused: a reviewer's decision, written with the
  // mutation that carries it. Their slots count as free for the batch's own
  // mutations, so a decision that waits for review itself (a district's, in
  // a locked year) never finds the queue full of the item it settles.
  absl::StatusOr<v1::PushResponse> Push(
      std::vector<v1::Mutation> mutations,
      const std::vector<const WritePolicy*>& policies = {},
      const std::vector<std::shared_ptr<const ResolvedMutation>>& resolved = {},
      const AlsoWrite& also = {},
      const std::vector<v1::ConflictRecord>& closes = {})
      ABSL_LOCKS_EXCLUDED(write_mu_, commit_mu_);

  // A group of mutations merged and not yet written.
  class PreparedPush {
   public:
    PreparedPush(PreparedPush&&) = default;
    PreparedPush& operator=(PreparedPush&&) = default;
    // The results the group will answer once committed.
    const v1::PushResponse& response() const { return response_; }

   private:
    friend class ServerReplica;
    PreparedPush() = default;
    uint64_t group_ = 0;  // 1, 2, ... in the order of Prepare()
    // The group's writes, encoded; null if it writes nothing.
    std::unique_ptr<Store::PreparedWrite> write_;
    v1::PushResponse response_;
    uint64_t last_sequence_ = 0;
    uint64_t catalogue_change_ = 0;
  };

  // Push's first step: merges `mutations` (arguments as for Push) on top
  // of everything prepared before, committed or not, and hands out their
  // sequence numbers. Nothing is written. Every PreparedPush returned must
  // be passed to Commit, or later commits wait for it forever.
  absl::StatusOr<PreparedPush> Prepare(
      std::vector<v1::Mutation> mutations,
      const std::vector<const WritePolicy*>& policies = {},
      const std::vector<std::shared_ptr<const ResolvedMutation>>& resolved = {},
      const AlsoWrite& also = {},
      const std::vector<v1::ConflictRecord>& closes = {})
      ABSL_LOCKS_EXCLUDED(write_mu_, commit_mu_);

  // Push's second step: writes a prepared group durably and returns its
  // results. Waits until every group prepared before it is committed, so
  // groups are written in order whoever commits them. If an earlier write
  // failed, nothing is written and the failure is returned.
  absl::StatusOr<v1::PushResponse> Commit(PreparedPush prepared)
      ABSL_LOCKS_EXCLUDED(write_mu_, commit_mu_);
  // The same for several groups, in the order of Prepare; consecutive
  // ones are written with one fsync. Each group is written atomically; if
  // one fails, the ones after it are not written and none is answered. One
  // response per group.
  absl::StatusOr<std::vector<v1::PushResponse>> Commit(
      std::vector<PreparedPush> prepared)
      ABSL_LOCKS_EXCLUDED(write_mu_, commit_mu_);

  // The documents of `scopes` changed after `cursor` (empty: from the
  // start), in server order, until about `max_bytes`; at least one document
  // per page so a pull always moves. `done` is set on the last page.
  absl::StatusOr<v1::PullResponse> Pull(const std::vector<std::string>& scopes,
                                        const std::string& cursor,
                                        size_t max_bytes);

  // About how many documents a pull of `scopes` from `cursor` brings: the
  // scope-log entries after it, superseded ones included. Reads keys only.
  absl::StatusOr<uint64_t> EstimatePull(const std::vector<std::string>& scopes,
                                        const std::string& cursor);

  // The same page, serialized: the stored documents' bytes as they are,
  // never parsed (sync/pull_page.h). What the server sends, after
  // EncodePageDocuments for a client that reads zstd.
  struct PullPage {
    std::string bytes;  // a serialized v1::PullResponse
    std::string cursor;
    bool done = false;
    int documents = 0;
  };
  absl::StatusOr<PullPage> PullBytes(const std::vector<std::string>& scopes,
                                     const std::string& cursor,
                                     size_t max_bytes);

  // Writes a document the server itself owns (a device, say) at the next
  // sequence, with history and scope-log entries like any change, and
  // `audit` (when it has a kind) in the same batch. Returns the document as
  // stored.
  absl::StatusOr<v1::Document> WriteServerDocument(
      v1::Document doc, v1::AuditEvent audit = v1::AuditEvent())
      ABSL_LOCKS_EXCLUDED(write_mu_, commit_mu_);

  // Writes the areas a hierarchy change made or changed (sync/
  // area_changes.h) as one batch, with `audit` in it, each at the next
  // sequence like any change; later pushes, scopes and areas() see the new
  // hierarchy. InvalidArgument if the areas do not make a tree; nothing is
  // written then. Returns the areas as stored.
  absl::StatusOr<std::vector<v1::Area>> WriteAreas(std::vector<v1::Area> areas,
                                                   v1::AuditEvent audit)
      ABSL_LOCKS_EXCLUDED(write_mu_, commit_mu_, areas_mu_);

  // The hierarchy as the replica checks and scopes against it now.
  std::shared_ptr<const AreaTree> areas() const ABSL_LOCKS_EXCLUDED(areas_mu_);

  // Log compaction: drops, up to sequence `horizon`, the server log and
  // every scope-log entry that a later change of its document superseded.
  // Pulls from any cursor stay correct, old or new: each document changed
  // after a cursor keeps its latest entry. Device results are kept, so a
  // mutation resent months later is still a duplicate. Returns the number of
  // entries dropped.
  absl::StatusOr<size_t> CompactLog(uint64_t horizon)
      ABSL_LOCKS_EXCLUDED(write_mu_, commit_mu_);

  // Locks `year` ("2025") durably, with `audit` (when it has a kind) in the
  // same batch: later changes to its reports become amendments for review.
  // FailedPrecondition naming the year if it is locked already.
  absl::Status LockYear(const std::string& year,
                        v1::AuditEvent audit = v1::AuditEvent())
      ABSL_LOCKS_EXCLUDED(write_mu_, commit_mu_);

  // The locked years, in order.
  std::vector<std::string> locked_years() const ABSL_LOCKS_EXCLUDED(write_mu_);

  // Values a push was to take out of an aggregate cell that did not hold
  // them since the replica opened: 0 unless cells and reports disagree.
  uint64_t aggregate_mismatches() const ABSL_LOCKS_EXCLUDED(write_mu_);

  // The last sequence committed (durable).
  uint64_t last_sequence() const ABSL_LOCKS_EXCLUDED(commit_mu_);

  // What Open changed to bring an older store to kServerStoreFormat
  // (sync/store_format.h), one line per migration; empty when none ran.
  // Set before Open returns, never changed after.
  const std::vector<std::string>& migrations() const { return migrations_; }

  // OK while the replica takes writes; after a failed write (fail-stop),
  // the failure every push is refused with until a restart. What the
  // server's readiness check (/readyz) reports.
  absl::Status write_failure() const ABSL_LOCKS_EXCLUDED(commit_mu_);

  // The last sequence that changed a catalogue document (model, area,
  // sector), so read caches of the catalogue know when to reload. At
  // start-up it is the last sequence.
  uint64_t last_catalogue_change() const ABSL_LOCKS_EXCLUDED(commit_mu_);

 private:
  explicit ServerReplica(ServerReplicaOptions options)
      : options_(std::move(options)) {}

  // Waits until every prepared group is committed; the caller then writes
  // alone (it holds `write_mu_`, so nothing new is prepared).
  absl::Status AwaitCommittedLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_)
      ABSL_LOCKS_EXCLUDED(commit_mu_);
  // Writes prepared[from, to), consecutive groups, once it is their turn.
  absl::Status CommitRun(std::vector<PreparedPush>& prepared, size_t from,
                         size_t to) ABSL_LOCKS_EXCLUDED(write_mu_, commit_mu_);
  // Forgets the overlays of the groups committed: the store has them.
  void DropCommittedLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_)
      ABSL_LOCKS_EXCLUDED(commit_mu_);
  // Records a write of the caller's own (not a group) as committed.
  absl::Status CommittedAlone(const absl::Status& written, uint64_t sequence)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) ABSL_LOCKS_EXCLUDED(commit_mu_);

  ServerReplicaOptions options_;
  std::vector<std::string> migrations_;  // set by Open only
  // Guards merging: the prepared state below.
  mutable absl::Mutex write_mu_ ABSL_ACQUIRED_BEFORE(commit_mu_);
  uint64_t last_sequence_ ABSL_GUARDED_BY(write_mu_) = 0;  // prepared
  uint64_t last_catalogue_change_ ABSL_GUARDED_BY(write_mu_) = 0;
  uint64_t prepared_groups_ ABSL_GUARDED_BY(write_mu_) = 0;
  // What the groups prepared and not yet known to be committed wrote,
  // oldest first.
  std::deque<std::shared_ptr<replica_internal::GroupWrites>> pending_
      ABSL_GUARDED_BY(write_mu_);
  // The newest state of the aggregate cells recent groups moved, prepared
  // or committed: the cells a push meets again are read from here.
  CellMap cells_ ABSL_GUARDED_BY(write_mu_);
  uint64_t aggregate_mismatches_ ABSL_GUARDED_BY(write_mu_) = 0;
  // Guards the hierarchy's pointer; changed only under `write_mu_` too, so
  // one group merges against one hierarchy.
  mutable absl::Mutex areas_mu_ ABSL_ACQUIRED_AFTER(write_mu_);
  std::shared_ptr<const AreaTree> areas_ ABSL_GUARDED_BY(areas_mu_);
  // Guards what is committed; held only briefly, never while writing.
  mutable absl::Mutex commit_mu_;
  uint64_t committed_groups_ ABSL_GUARDED_BY(commit_mu_) = 0;
  uint64_t committed_sequence_ ABSL_GUARDED_BY(commit_mu_) = 0;
  uint64_t committed_catalogue_change_ ABSL_GUARDED_BY(commit_mu_) = 0;
  absl::Status failed_ ABSL_GUARDED_BY(commit_mu_);
};

// Adds one outcome to an import summary's counts.
void CountOutcome(v1::ImportSummary& summary, v1::MutationOutcome outcome);

// Adds `doc` to `writes` with one scope-log entry per scope, at its version.
void AddDocument(WriteSet& writes, std::shared_ptr<const v1::Document> doc);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_SERVER_REPLICA_H_
