// PowerLossFs on its own: what a power cut keeps, file by file, so that the
// store tests in power_loss_test.cc rest on a model that is itself checked.
#include "tests/support/power_loss_fs.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync::testing {
namespace {

using rocksdb::FileOptions;
using rocksdb::IOOptions;
using rocksdb::IOStatus;

class PowerLossFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IOStatus s =
        fs_->NewDirectory(dir_.path(), IOOptions(), &dir_handle_, nullptr);
    ASSERT_OK(s);
  }

  std::unique_ptr<rocksdb::FSWritableFile> Create(const std::string& name) {
    std::unique_ptr<rocksdb::FSWritableFile> file;
    IOStatus s =
        fs_->NewWritableFile(dir_.Sub(name), FileOptions(), &file, nullptr);
    EXPECT_OK(s);
    return file;
  }

  static void Append(rocksdb::FSWritableFile& file, const std::string& data) {
    IOStatus s = file.Append(data, IOOptions(), nullptr);
    ASSERT_OK(s);
  }

  static void Sync(rocksdb::FSWritableFile& file) {
    IOStatus s = file.Sync(IOOptions(), nullptr);
    ASSERT_OK(s);
  }

  void SyncDir() {
    IOStatus s = dir_handle_->Fsync(IOOptions(), nullptr);
    ASSERT_OK(s);
  }

  // The file's bytes on the disk underneath; "<none>" if it is gone.
  std::string OnDisk(const std::string& name) {
    std::string data;
    IOStatus s = rocksdb::ReadFileToString(base_.get(), dir_.Sub(name), &data);
    return s.ok() ? data : "<none>";
  }

  TempDir dir_;
  std::shared_ptr<rocksdb::FileSystem> base_ = rocksdb::FileSystem::Default();
  std::shared_ptr<PowerLossFs> fs_ = std::make_shared<PowerLossFs>(base_);
  std::unique_ptr<rocksdb::FSDirectory> dir_handle_;
};

TEST_F(PowerLossFsTest, KeepsSyncedBytesAndSyncedNamesOnly) {
  auto log = Create("000004.log");
  ASSERT_NO_FATAL_FAILURE(Append(*log, "synced;"));
  ASSERT_NO_FATAL_FAILURE(Sync(*log));
  ASSERT_NO_FATAL_FAILURE(SyncDir());
  ASSERT_NO_FATAL_FAILURE(Append(*log, "flushed, closed, never synced"));
  ASSERT_OK(log->Close(IOOptions(), nullptr));

  // Synced data under a name whose directory was never synced.
  auto sst = Create("000005.sst");
  ASSERT_NO_FATAL_FAILURE(Append(*sst, "table"));
  ASSERT_NO_FATAL_FAILURE(Sync(*sst));

  DropStats stats;
  ASSERT_OK(fs_->DropUnsyncedData(&stats));
  EXPECT_EQ(OnDisk("000004.log"), "synced;");
  EXPECT_EQ(OnDisk("000005.sst"), "<none>");
  EXPECT_EQ(stats.files_removed, 1);
  EXPECT_EQ(stats.bytes_dropped, 29u + 5u);
}

TEST_F(PowerLossFsTest, ARenameIsUndoneUntilItsDirectoryIsSynced) {
  auto current = Create("CURRENT");
  ASSERT_NO_FATAL_FAILURE(Append(*current, "MANIFEST-000001\n"));
  ASSERT_NO_FATAL_FAILURE(Sync(*current));
  ASSERT_NO_FATAL_FAILURE(SyncDir());

  // SetCurrentFile's pattern: write a temporary file, sync it, rename it.
  auto tmp = Create("000002.dbtmp");
  ASSERT_NO_FATAL_FAILURE(Append(*tmp, "MANIFEST-000002\n"));
  ASSERT_NO_FATAL_FAILURE(Sync(*tmp));
  ASSERT_TRUE(fs_->RenameFile(dir_.Sub("000002.dbtmp"), dir_.Sub("CURRENT"),
                              IOOptions(), nullptr)
                  .ok());
  ASSERT_OK(fs_->DropUnsyncedData());
  EXPECT_EQ(OnDisk("CURRENT"), "MANIFEST-000001\n");

  // Once the directory is synced the rename stays.
  tmp = Create("000003.dbtmp");
  ASSERT_NO_FATAL_FAILURE(Append(*tmp, "MANIFEST-000003\n"));
  ASSERT_NO_FATAL_FAILURE(Sync(*tmp));
  ASSERT_TRUE(fs_->RenameFile(dir_.Sub("000003.dbtmp"), dir_.Sub("CURRENT"),
                              IOOptions(), nullptr)
                  .ok());
  ASSERT_NO_FATAL_FAILURE(SyncDir());
  ASSERT_OK(fs_->DropUnsyncedData());
  EXPECT_EQ(OnDisk("CURRENT"), "MANIFEST-000003\n");
}

TEST_F(PowerLossFsTest, NothingReachesTheDiskAfterThePowerCut) {
  auto log = Create("000004.log");
  ASSERT_NO_FATAL_FAILURE(Append(*log, "before;"));
  ASSERT_NO_FATAL_FAILURE(Sync(*log));
  ASSERT_NO_FATAL_FAILURE(SyncDir());

  fs_->PowerCut();
  EXPECT_FALSE(log->Append("after", IOOptions(), nullptr).ok());
  EXPECT_FALSE(log->Sync(IOOptions(), nullptr).ok());
  EXPECT_FALSE(dir_handle_->Fsync(IOOptions(), nullptr).ok());
  std::unique_ptr<rocksdb::FSWritableFile> late;
  EXPECT_FALSE(
      fs_->NewWritableFile(dir_.Sub("late"), FileOptions(), &late, nullptr)
          .ok());
  EXPECT_FALSE(
      fs_->DeleteFile(dir_.Sub("000004.log"), IOOptions(), nullptr).ok());

  ASSERT_OK(fs_->DropUnsyncedData());
  EXPECT_EQ(OnDisk("000004.log"), "before;");
  // The power is back.
  EXPECT_TRUE(
      fs_->NewWritableFile(dir_.Sub("late"), FileOptions(), &late, nullptr)
          .ok());
}

}  // namespace
}  // namespace fieldsync::testing
