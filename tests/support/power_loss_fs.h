// A file system that can lose power (STYLE.md 11): it passes every call to
// the file system underneath and remembers what a power cut would keep.
//
// The model, per file written through it:
//  - data is durable up to the size at its last Sync or Fsync. Flush, Close
//    and RangeSync (sync_file_range: no metadata) make nothing durable;
//  - a new name (a created file, or the target of a rename) is durable once
//    its directory is fsynced; until then a power cut removes it, and a
//    rename puts back the durable bytes of the file it replaced.
// Simplifications, none of which RocksDB can lean on: a deletion is final
// at once (RocksDB deletes only files it no longer needs), an undone rename
// does not bring back its source name (RocksDB renames only temporary
// files, which it ignores), and directories are durable once created.
// Random-access writes, hard links and recycled files are refused.
//
// A test calls PowerCut() where the power goes: from then on every write,
// sync, truncation, new file, rename and deletion fails and changes nothing,
// so what the process does after it (a DB::Close that flushes or syncs)
// cannot count. Once the DB is closed, DropUnsyncedData() leaves on disk
// only what a power cut keeps, and the file system is up again.
//
// Thread-safe: RocksDB's background threads write through it too.
#ifndef FIELDSYNC_TESTS_SUPPORT_POWER_LOSS_FS_H_
#define FIELDSYNC_TESTS_SUPPORT_POWER_LOSS_FS_H_

#include <rocksdb/file_system.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace fieldsync::testing {

// What DropUnsyncedData() did, so a test can see that it dropped something.
struct DropStats {
  int files_removed = 0;
  int files_restored = 0;
  uint64_t bytes_dropped = 0;
};

class PowerLossFs : public rocksdb::FileSystemWrapper {
 public:
  explicit PowerLossFs(std::shared_ptr<rocksdb::FileSystem> base);

  static const char* kClassName() { return "PowerLossFs"; }
  const char* Name() const override { return kClassName(); }

  // The power goes now: later writes, syncs, renames and deletions fail.
  void PowerCut() ABSL_LOCKS_EXCLUDED(mu_);

  // Call with no file open through the wrapper (close the DB first): files
  // still open are forgotten. Truncates every file to its synced size,
  // removes names never made durable (putting back what a rename replaced),
  // forgets everything and lets writes through again.
  //
  // `keep_unsynced` (0 to 1) is the share of each file's unsynced tail to
  // keep instead: write-back the OS did before the cut, ending anywhere,
  // even inside a record.
  rocksdb::IOStatus DropUnsyncedData(DropStats* stats = nullptr,
                                     double keep_unsynced = 0)
      ABSL_LOCKS_EXCLUDED(mu_);

  rocksdb::IOStatus NewWritableFile(
      const std::string& fname, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* result,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(
      const std::string& fname, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* result,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(
      const std::string& fname, const std::string& old_fname,
      const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* result,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewRandomRWFile(
      const std::string& fname, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSRandomRWFile>* result,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewDirectory(const std::string& name,
                                 const rocksdb::IOOptions& options,
                                 std::unique_ptr<rocksdb::FSDirectory>* result,
                                 rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteFile(const std::string& fname,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& src,
                               const std::string& target,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus LinkFile(const std::string& src, const std::string& target,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus Truncate(const std::string& fname, size_t size,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override;

 private:
  class File;
  class Directory;
  struct FileState;  // what a power cut would keep of one file
  using StatePtr = std::shared_ptr<FileState>;

  // OK, or the error every write gets once the power is cut.
  rocksdb::IOStatus CheckPower() const ABSL_LOCKS_EXCLUDED(mu_);
  // What a power cut would leave at `path` now; nullopt: no file.
  std::optional<std::string> DurableContent(const std::string& path)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  bool power_cut_ ABSL_GUARDED_BY(mu_) = false;
  // Keyed by normalised path. Files the wrapper never wrote are taken as
  // durable as they are.
  absl::flat_hash_map<std::string, StatePtr> files_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_SUPPORT_POWER_LOSS_FS_H_
