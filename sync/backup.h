// Backups of the server's store while it serves, and their restore into a
// new data folder (docs/operations.md "Backup and restore").
//
// A backup folder holds `db/`, an openable RocksDB copy of the store
// (RocksDbStore::Checkpoint says why a checkpoint), and `fieldsync-backup.txt`,
// what the copy was checked to hold when it was made. The text file is what
// makes a folder a backup: a restore refuses a folder without it, and
// checks the restored copy against it.
//
// Nothing is left behind by a refusal or a failure: a backup or a restore
// that cannot finish removes what it made, down to the folder it created.
#ifndef FIELDSYNC_SYNC_BACKUP_H_
#define FIELDSYNC_SYNC_BACKUP_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "sync/rocksdb_store.h"

namespace fieldsync {

// The store's folder inside a backup, and inside a data folder.
inline constexpr char kBackupDbFolder[] = "db";
// The file that marks a backup folder and records what it holds.
inline constexpr char kBackupManifestFile[] = "fieldsync-backup.txt";

// What a copy of the store holds, as checked by opening it.
struct BackupSummary {
  uint64_t documents = 0;      // every one parsed
  uint64_t bytes = 0;          // of the copy's files
  uint64_t last_sequence = 0;  // the last server sequence in the copy
};

// Checks that `dir` can take a new backup: an absolute path, either missing
// with a parent folder that exists, or an empty folder, and writable.
// InvalidArgument naming the field `target_dir`, the path and why
// otherwise. Leaves nothing behind.
absl::Status CheckBackupTarget(const std::string& dir);

// Copies `live` into `dir` (CheckBackupTarget first) while writes go on,
// checks the copy (CheckStoreCopy) and records what it holds in the
// manifest. Creates `dir` (mode 0700) if it is missing.
absl::StatusOr<BackupSummary> WriteBackup(RocksDbStore& live,
                                          const std::string& dir);

// Opens the store copy in `db_dir` read-only and checks it: every document
// parses and carries a key, none has a version past the copy's last
// sequence. DataLoss naming the folder and the first fault otherwise.
absl::StatusOr<BackupSummary> CheckStoreCopy(const std::string& db_dir);

// Restores the backup in `backup_dir` into a new data folder `data_dir`:
// refuses (FailedPrecondition naming the path and why) a `backup_dir` that
// is not a backup and a `data_dir` that exists and is not an empty folder;
// copies the store into `data_dir`/db (files are copied, never linked, so
// the new folder shares nothing with the backup), checks it, and compares
// it with the manifest (DataLoss if they differ). The server is then
// started on `data_dir`.
absl::StatusOr<BackupSummary> RestoreBackup(const std::string& backup_dir,
                                            const std::string& data_dir);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_BACKUP_H_
