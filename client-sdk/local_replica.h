// A tablet's replica: the server's documents of its scopes, an outbox of the
// edits made offline (each written durably before Edit returns), and the
// pull cursor, all in one RocksDB folder. Sync() pushes the outbox, drops
// what the server answered, and pulls; it may be cut off anywhere and run
// again. One owner at a time (the app's sync thread); not thread-safe.
#ifndef FIELDSYNC_CLIENT_SDK_LOCAL_REPLICA_H_
#define FIELDSYNC_CLIENT_SDK_LOCAL_REPLICA_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client-sdk/sync_client.h"
#include "fieldsync/v1/sync.pb.h"
#include "sync/rocksdb_store.h"

namespace fieldsync::client {

struct SyncReport {
  int pushed = 0;  // mutations the server answered
  int pulled = 0;  // documents received
  // Results a person should see: conflicts, amendments, rejections.
  std::vector<v1::MutationResult> attention;
};

class LocalReplica {
 public:
  static absl::StatusOr<std::unique_ptr<LocalReplica>> Open(
      const std::string& dir, const std::string& device_id);

  // Records an edit of `key` (its field sets) on top of what the tablet
  // knows, durably, and returns the mutation queued for the server.
  absl::StatusOr<v1::Mutation> Edit(const std::string& key,
                                    std::vector<v1::FieldSet> sets,
                                    int64_t device_time_micros,
                                    const std::string& author);

  // The document as this tablet sees it: the server's state with the
  // pending edits applied; nullopt if neither knows it.
  absl::StatusOr<std::optional<v1::Document>> Get(const std::string& key);

  // The edits not yet answered by the server, in order.
  absl::StatusOr<std::vector<v1::Mutation>> Outbox();

  // Pushes the outbox, then pulls. Safe to interrupt and repeat: nothing the
  // server answered is sent again, and the pull resumes from its cursor.
  absl::StatusOr<SyncReport> Sync(SyncClient& client);

 private:
  LocalReplica(std::unique_ptr<RocksDbStore> store, std::string device_id)
      : store_(std::move(store)), device_id_(std::move(device_id)) {}

  std::unique_ptr<RocksDbStore> store_;
  std::string device_id_;
};

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_LOCAL_REPLICA_H_
