// What the .cc files of ServerReplica share (sync/server_replica.h is its
// interface): nothing outside sync/server_replica*.cc includes this.
//
// The class's methods are defined by concern:
//   server_replica.cc              Open, the accessors, WriteServerDocument,
//                                  WriteAreas
//   server_replica_prepare.cc      Prepare and the review-queue bounds
//   server_replica_commit.cc       Push, Commit, and the group-commit order
//   server_replica_pull.cc         EstimatePull, Pull, PullBytes
//   server_replica_maintenance.cc  CompactLog, LockYear, the one-off
//                                  rewrites of an older store
// and the overlay of groups prepared and not yet committed is
// sync/group_writes.h and sync/batch_view.h.
#ifndef FIELDSYNC_SYNC_SERVER_REPLICA_INTERNAL_H_
#define FIELDSYNC_SYNC_SERVER_REPLICA_INTERNAL_H_

#include "absl/status/status.h"
#include "sync/server_replica.h"
#include "sync/store.h"
#include "sync/store_format.h"

namespace fieldsync {
namespace replica_internal {

// Meta key prefix of a locked year: "year/locked/2025".
inline constexpr char kLockedYearPrefix[] = "year/locked/";

// The migrations that bring an older data folder to kServerStoreFormat, in
// order (sync/server_replica_maintenance.cc).
extern const Migration kServerMigrations[kServerStoreFormat];

// The fill ServerReplica::Open runs on a store whose aggregates are
// missing or older; it records in a meta key that it ran.

// Stores written before the live aggregates, or in an older format of
// them, get every cell recomputed once from the reports they hold (and any
// cell no report makes deleted); from then on every write moves them.
absl::Status FillAggregatesOnce(Store& store);

}  // namespace replica_internal
}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_SERVER_REPLICA_INTERNAL_H_
