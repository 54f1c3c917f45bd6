#include "tests/support/power_loss_fs.h"

#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

namespace fieldsync::testing {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;

// RocksDB names a directory with or without a trailing slash; one key each.
std::string Normal(const std::string& path) {
  std::string p = std::filesystem::path(path).lexically_normal().string();
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

std::string Parent(const std::string& normal_path) {
  return std::filesystem::path(normal_path).parent_path().string();
}

// Cuts `path` down to `size` bytes, durably. RocksDB 7.8's default file
// system has no FileSystem::Truncate, but its writable files have one.
IOStatus TruncateFile(rocksdb::FileSystem& fs, const std::string& path,
                      uint64_t size) {
  std::unique_ptr<rocksdb::FSWritableFile> file;
  IOStatus s =
      fs.ReopenWritableFile(path, rocksdb::FileOptions(), &file, nullptr);
  if (s.ok()) s = file->Truncate(size, IOOptions(), nullptr);
  if (s.ok()) s = file->Fsync(IOOptions(), nullptr);
  IOStatus closed =
      file != nullptr ? file->Close(IOOptions(), nullptr) : IOStatus::OK();
  return s.ok() ? closed : s;
}

}  // namespace

struct PowerLossFs::FileState {
  uint64_t size = 0;    // bytes written so far
  uint64_t synced = 0;  // bytes a Sync or Fsync made durable
  // The name is durable: its directory was fsynced since it appeared.
  bool name_synced = false;
  // Bumped by each rename onto the name, so that a directory fsync that
  // began before the rename does not count for it.
  uint64_t renames = 0;
  // For a name not yet durable that a rename laid over an older file: the
  // older file's durable bytes, which a power cut puts back.
  std::optional<std::string> replaced;
};

// A writable file that tells the wrapper how far it was written and synced.
class PowerLossFs::File : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  File(std::unique_ptr<rocksdb::FSWritableFile> file, PowerLossFs* fs,
       StatePtr state)
      : FSWritableFileOwnerWrapper(std::move(file)),
        fs_(fs),
        state_(std::move(state)) {}

  IOStatus Append(const rocksdb::Slice& data, const IOOptions& options,
                  IODebugContext* dbg) override {
    return Write(data.size(), std::nullopt,
                 [&] { return target()->Append(data, options, dbg); });
  }
  IOStatus Append(const rocksdb::Slice& data, const IOOptions& options,
                  const rocksdb::DataVerificationInfo& info,
                  IODebugContext* dbg) override {
    return Write(data.size(), std::nullopt,
                 [&] { return target()->Append(data, options, info, dbg); });
  }
  IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                            const IOOptions& options,
                            IODebugContext* dbg) override {
    return Write(data.size(), offset, [&] {
      return target()->PositionedAppend(data, offset, options, dbg);
    });
  }
  IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                            const IOOptions& options,
                            const rocksdb::DataVerificationInfo& info,
                            IODebugContext* dbg) override {
    return Write(data.size(), offset, [&] {
      return target()->PositionedAppend(data, offset, options, info, dbg);
    });
  }

  IOStatus Truncate(uint64_t size, const IOOptions& options,
                    IODebugContext* dbg) override {
    if (IOStatus s = fs_->CheckPower(); !s.ok()) return s;
    IOStatus s = target()->Truncate(size, options, dbg);
    if (s.ok()) {
      absl::MutexLock lock(&fs_->mu_);
      state_->size = size;
      state_->synced = std::min(state_->synced, size);
    }
    return s;
  }

  IOStatus Sync(const IOOptions& options, IODebugContext* dbg) override {
    return SyncWith([&] { return target()->Sync(options, dbg); });
  }
  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    return SyncWith([&] { return target()->Fsync(options, dbg); });
  }
  // sync_file_range writes data back but promises nothing after a power
  // cut (no metadata, no drive cache flush): it makes nothing durable.
  IOStatus RangeSync(uint64_t offset, uint64_t nbytes, const IOOptions& options,
                     IODebugContext* dbg) override {
    if (IOStatus s = fs_->CheckPower(); !s.ok()) return s;
    return target()->RangeSync(offset, nbytes, options, dbg);
  }

 private:
  // `offset` is set for a positioned write, which may land before the end.
  template <typename Op>
  IOStatus Write(size_t n, std::optional<uint64_t> offset, Op op) {
    if (IOStatus s = fs_->CheckPower(); !s.ok()) return s;
    IOStatus s = op();
    if (s.ok()) {
      absl::MutexLock lock(&fs_->mu_);
      state_->size = offset.has_value()
                         ? std::max<uint64_t>(state_->size, *offset + n)
                         : state_->size + n;
    }
    return s;
  }

  // What was written before the sync began is durable once it returns,
  // unless the power went in between.
  template <typename Op>
  IOStatus SyncWith(Op op) {
    uint64_t size;
    {
      absl::MutexLock lock(&fs_->mu_);
      if (fs_->power_cut_) return IOStatus::IOError("power cut");
      size = state_->size;
    }
    IOStatus s = op();
    absl::MutexLock lock(&fs_->mu_);
    if (fs_->power_cut_) return IOStatus::IOError("power cut");
    if (s.ok()) state_->synced = std::max(state_->synced, size);
    return s;
  }

  PowerLossFs* fs_;
  StatePtr state_;
};

// A directory whose fsync makes the names in it durable.
class PowerLossFs::Directory : public rocksdb::FSDirectoryWrapper {
 public:
  Directory(std::unique_ptr<rocksdb::FSDirectory> dir, PowerLossFs* fs,
            std::string path)
      : FSDirectoryWrapper(std::move(dir)), fs_(fs), path_(std::move(path)) {}

  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    return SyncWith([&] { return FSDirectoryWrapper::Fsync(options, dbg); });
  }
  IOStatus FsyncWithDirOptions(
      const IOOptions& options, IODebugContext* dbg,
      const rocksdb::DirFsyncOptions& dir_options) override {
    return SyncWith([&] {
      return FSDirectoryWrapper::FsyncWithDirOptions(options, dbg, dir_options);
    });
  }

 private:
  // Names present when the fsync began are durable once it returns.
  template <typename Op>
  IOStatus SyncWith(Op op) {
    std::vector<std::pair<StatePtr, uint64_t>> covered;
    {
      absl::MutexLock lock(&fs_->mu_);
      if (fs_->power_cut_) return IOStatus::IOError("power cut");
      for (const auto& [path, state] : fs_->files_) {
        if (Parent(path) == path_) covered.emplace_back(state, state->renames);
      }
    }
    IOStatus s = op();
    absl::MutexLock lock(&fs_->mu_);
    if (fs_->power_cut_) return IOStatus::IOError("power cut");
    if (!s.ok()) return s;
    for (const auto& [state, renames] : covered) {
      if (state->renames != renames) continue;
      state->name_synced = true;
      state->replaced.reset();
    }
    return s;
  }

  PowerLossFs* fs_;
  std::string path_;
};

PowerLossFs::PowerLossFs(std::shared_ptr<rocksdb::FileSystem> base)
    : FileSystemWrapper(std::move(base)) {}

void PowerLossFs::PowerCut() {
  absl::MutexLock lock(&mu_);
  power_cut_ = true;
}

IOStatus PowerLossFs::CheckPower() const {
  absl::MutexLock lock(&mu_);
  return power_cut_ ? IOStatus::IOError("power cut") : IOStatus::OK();
}

std::optional<std::string> PowerLossFs::DurableContent(
    const std::string& path) {
  auto it = files_.find(path);
  if (it != files_.end() && !it->second->name_synced) {
    return it->second->replaced;
  }
  if (!target()->FileExists(path, IOOptions(), nullptr).ok()) {
    return std::nullopt;
  }
  std::string data;
  if (!rocksdb::ReadFileToString(target(), path, &data).ok()) {
    return std::nullopt;
  }
  if (it != files_.end()) {
    data.resize(std::min<uint64_t>(data.size(), it->second->synced));
  }
  return data;
}

IOStatus PowerLossFs::DropUnsyncedData(DropStats* stats, double keep_unsynced) {
  DropStats local;
  absl::MutexLock lock(&mu_);
  for (const auto& [path, state] : files_) {
    uint64_t size = 0;
    if (!target()->GetFileSize(path, IOOptions(), &size, nullptr).ok()) {
      continue;  // removed behind our back: nothing to drop
    }
    IOStatus s;
    if (!state->name_synced && state->replaced.has_value()) {
      s = rocksdb::WriteStringToFile(target(), *state->replaced, path,
                                     /*should_sync=*/true);
      ++local.files_restored;
      local.bytes_dropped += size;
    } else if (!state->name_synced) {
      s = target()->DeleteFile(path, IOOptions(), nullptr);
      ++local.files_removed;
      local.bytes_dropped += size;
    } else if (size > state->synced) {
      const uint64_t kept =
          state->synced +
          static_cast<uint64_t>(static_cast<double>(size - state->synced) *
                                std::clamp(keep_unsynced, 0.0, 1.0));
      if (kept < size) s = TruncateFile(*target(), path, kept);
      local.bytes_dropped += size - kept;
    }
    if (!s.ok()) return s;
  }
  files_.clear();
  power_cut_ = false;
  if (stats != nullptr) *stats = local;
  return IOStatus::OK();
}

IOStatus PowerLossFs::NewWritableFile(
    const std::string& fname, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* result, IODebugContext* dbg) {
  if (IOStatus s = CheckPower(); !s.ok()) return s;
  const std::string path = Normal(fname);
  const bool existed = target()->FileExists(path, IOOptions(), dbg).ok();
  std::unique_ptr<rocksdb::FSWritableFile> file;
  IOStatus s = target()->NewWritableFile(fname, options, &file, dbg);
  if (!s.ok()) return s;
  // The file is emptied; its name stays as durable as it was.
  auto state = std::make_shared<FileState>();
  absl::MutexLock lock(&mu_);
  if (auto it = files_.find(path); it != files_.end()) {
    state->name_synced = it->second->name_synced;
    state->replaced = it->second->replaced;
  } else {
    state->name_synced = existed;
  }
  files_[path] = state;
  *result = std::make_unique<File>(std::move(file), this, state);
  return s;
}

IOStatus PowerLossFs::ReopenWritableFile(
    const std::string& fname, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* result, IODebugContext* dbg) {
  if (IOStatus s = CheckPower(); !s.ok()) return s;
  const std::string path = Normal(fname);
  uint64_t size = 0;
  const bool existed =
      target()->GetFileSize(path, IOOptions(), &size, dbg).ok();
  std::unique_ptr<rocksdb::FSWritableFile> file;
  IOStatus s = target()->ReopenWritableFile(fname, options, &file, dbg);
  if (!s.ok()) return s;
  absl::MutexLock lock(&mu_);
  StatePtr& state = files_[path];
  if (state == nullptr) {
    // Not written through us: durable as it stands.
    state = std::make_shared<FileState>();
    state->size = state->synced = size;
    state->name_synced = existed;
  }
  *result = std::make_unique<File>(std::move(file), this, state);
  return s;
}

IOStatus PowerLossFs::ReuseWritableFile(
    const std::string&, const std::string&, const rocksdb::FileOptions&,
    std::unique_ptr<rocksdb::FSWritableFile>*, IODebugContext*) {
  return IOStatus::NotSupported("PowerLossFs does not model recycled WALs");
}

IOStatus PowerLossFs::NewRandomRWFile(const std::string&,
                                      const rocksdb::FileOptions&,
                                      std::unique_ptr<rocksdb::FSRandomRWFile>*,
                                      IODebugContext*) {
  return IOStatus::NotSupported("PowerLossFs does not model random writes");
}

IOStatus PowerLossFs::LinkFile(const std::string&, const std::string&,
                               const IOOptions&, IODebugContext*) {
  return IOStatus::NotSupported("PowerLossFs does not model hard links");
}

IOStatus PowerLossFs::NewDirectory(
    const std::string& name, const IOOptions& options,
    std::unique_ptr<rocksdb::FSDirectory>* result, IODebugContext* dbg) {
  std::unique_ptr<rocksdb::FSDirectory> dir;
  IOStatus s = target()->NewDirectory(name, options, &dir, dbg);
  if (s.ok()) {
    *result = std::make_unique<Directory>(std::move(dir), this, Normal(name));
  }
  return s;
}

IOStatus PowerLossFs::DeleteFile(const std::string& fname,
                                 const IOOptions& options,
                                 IODebugContext* dbg) {
  if (IOStatus s = CheckPower(); !s.ok()) return s;
  IOStatus s = target()->DeleteFile(fname, options, dbg);
  if (s.ok()) {
    absl::MutexLock lock(&mu_);
    files_.erase(Normal(fname));
  }
  return s;
}

IOStatus PowerLossFs::RenameFile(const std::string& src,
                                 const std::string& target_name,
                                 const IOOptions& options,
                                 IODebugContext* dbg) {
  if (IOStatus s = CheckPower(); !s.ok()) return s;
  const std::string from = Normal(src);
  const std::string to = Normal(target_name);
  absl::MutexLock lock(&mu_);
  // Read before the rename: what a power cut would bring back at `to`.
  std::optional<std::string> replaced = DurableContent(to);
  uint64_t size = 0;
  IOStatus s = target()->GetFileSize(from, options, &size, dbg);
  if (s.ok()) s = target()->RenameFile(src, target_name, options, dbg);
  if (!s.ok()) return s;
  StatePtr state;
  if (auto it = files_.find(from); it != files_.end()) {
    state = it->second;
    files_.erase(it);
  } else {
    state = std::make_shared<FileState>();
    state->size = state->synced = size;
  }
  state->name_synced = false;
  ++state->renames;
  state->replaced = std::move(replaced);
  files_[to] = state;
  return s;
}

IOStatus PowerLossFs::Truncate(const std::string& fname, size_t size,
                               const IOOptions& options, IODebugContext* dbg) {
  if (IOStatus s = CheckPower(); !s.ok()) return s;
  IOStatus s = target()->Truncate(fname, size, options, dbg);
  if (s.ok()) {
    absl::MutexLock lock(&mu_);
    if (auto it = files_.find(Normal(fname)); it != files_.end()) {
      it->second->size = size;
      it->second->synced = std::min<uint64_t>(it->second->synced, size);
    }
  }
  return s;
}

}  // namespace fieldsync::testing
