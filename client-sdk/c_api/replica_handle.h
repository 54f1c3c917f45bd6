// What an fs_replica* points to: the LocalReplica and how to reach the
// server. Owned by the C caller between fs_open and fs_close.
#ifndef FIELDSYNC_CLIENT_SDK_C_API_REPLICA_HANDLE_H_
#define FIELDSYNC_CLIENT_SDK_C_API_REPLICA_HANDLE_H_

#include <memory>
#include <optional>

#include "client-sdk/local_replica.h"
#include "client-sdk/sync_client.h"
#include "fieldsync/fieldsync.h"

struct fs_replica {
  std::unique_ptr<fieldsync::client::LocalReplica> replica;
  // nullopt: an offline-only replica.
  std::optional<fieldsync::client::SyncClientOptions> link;
};

#endif  // FIELDSYNC_CLIENT_SDK_C_API_REPLICA_HANDLE_H_
