// A tablet's replica: the server's documents of its scopes, an outbox of the
// edits made offline (each written durably before Edit returns), the pull
// cursor, and notices about the officer's own edits, all in one RocksDB
// folder. Sync() pushes the outbox, drops what the server answered, and
// pulls, retrying with backoff; it may be cut off anywhere and run again.
// One owner at a time (the app's sync thread); not thread-safe.
#ifndef FIELDSYNC_CLIENT_SDK_LOCAL_REPLICA_H_
#define FIELDSYNC_CLIENT_SDK_LOCAL_REPLICA_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client-sdk/sync_options.h"
#include "client-sdk/transport.h"
#include "fieldsync/v1/catalogue_service.pb.h"
#include "fieldsync/v1/notice.pb.h"
#include "fieldsync/v1/sync.pb.h"
#include "sync/rocksdb_store.h"

namespace fieldsync::client {

// Which reports a local query keeps; empty fields match everything.
struct ReportFilter {
  std::string model_id;
  std::string period;
  std::string area_id;
};

// The tablet replica's format (sync/store_format.h): LocalReplica::Open
// migrates an older replica to it and refuses a newer one naming both.
inline constexpr uint32_t kTabletStoreFormat = 1;

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

  // The catalogue as the tablet holds it, filtered like the server's
  // ListModels (level, status, sector, area, diacritic-insensitive search
  // unless match_diacritics); paging fields are ignored. Archived models
  // are left out unless the status filter asks for them.
  absl::StatusOr<std::vector<v1::Model>> ListModels(
      const v1::ListModelsRequest& filter);

  // Reports as this tablet sees them (pending edits applied, new ones
  // included), in key order.
  absl::StatusOr<std::vector<v1::Document>> ListReports(
      const ReportFilter& filter);

  // Notices about this device's edits, oldest first.
  absl::StatusOr<std::vector<v1::Notice>> Notices();

  // The device this replica belongs to.
  const std::string& device_id() const { return device_id_; }

  // Pushes the outbox, then pulls, retrying a failing link with backoff.
  // Safe to interrupt and repeat: nothing the server answered is sent
  // again, and the pull resumes from its cursor.
  absl::StatusOr<SyncReport> Sync(Transport& transport,
                                  const SyncOptions& options = {});

 private:
  LocalReplica(std::unique_ptr<RocksDbStore> store, std::string device_id)
      : store_(std::move(store)), device_id_(std::move(device_id)) {}

  // One push-then-pull pass.
  // Pushes the outbox; returns the number to send it again from when the
  // server took none of its numbers from some point on (0: nothing to
  // send again).
  absl::StatusOr<uint64_t> PushOutbox(Transport& transport,
                                      const SyncOptions& options,
                                      SyncProgress& progress,
                                      SyncReport& report);
  // Numbers the outbox's mutations again, in order, from `first`, and the
  // next edit after them.
  absl::Status RenumberOutbox(uint64_t first);
  absl::Status SyncOnce(Transport& transport, const SyncOptions& options,
                        SyncProgress& progress, SyncReport& report);
  // Turns pending notices into notices now that the server's values are
  // here.
  absl::Status CompleteNotices(const SyncOptions& options, SyncReport& report);

  std::unique_ptr<RocksDbStore> store_;
  std::string device_id_;
};

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_LOCAL_REPLICA_H_
