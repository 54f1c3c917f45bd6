// AdminService.Backup: a copy of the live store into a new folder on the
// server's machine, checked after it is written (sync/backup.h), while the
// server serves.
//
// What pushes see: nothing waits on the backup's lock. The copy is a RocksDB
// checkpoint: it flushes the memtables (writes go on into a fresh one),
// then links or copies the table files while their deletion is held back.
// A push meanwhile is written and acknowledged as usual; it may land in the
// copy or not, always whole. Only the disk is shared, so on a slow disk a
// push's fsync can wait behind the copy's writes (the copy of a store on
// the same file system is hard links, which write next to nothing).
#ifndef FIELDSYNC_SERVER_BACKUP_ADMIN_H_
#define FIELDSYNC_SERVER_BACKUP_ADMIN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "fieldsync/v1/admin_service.pb.h"
#include "server/audit_log.h"
#include "server/authenticator.h"
#include "sync/clock.h"
#include "sync/rocksdb_store.h"

namespace fieldsync::server {

class BackupAdmin {
 public:
  // Everything must outlive it. `data_dir`: the live data folder, which a
  // backup may not be put into.
  BackupAdmin(RocksDbStore* store, AuditLog* audit, ClockSource* clock,
              std::string data_dir)
      : store_(store),
        audit_(audit),
        clock_(clock),
        data_dir_(std::move(data_dir)) {}

  // Backs the store up into `request.target_dir` for `caller` (whose role
  // the service has checked: access.h MayBackUp). A bad target is refused
  // (InvalidArgument naming target_dir, the path and why) with nothing
  // written; a second backup while one runs is refused (FailedPrecondition).
  // Each backup, refused or made, leaves an audit event.
  absl::StatusOr<v1::BackupResponse> Run(const Caller& caller,
                                         const v1::BackupRequest& request);

 private:
  RocksDbStore* const store_;
  AuditLog* const audit_;
  ClockSource* const clock_;
  const std::string data_dir_;
  // Held for a backup's length: one copy at a time is enough for any disk.
  absl::Mutex running_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_BACKUP_ADMIN_H_
