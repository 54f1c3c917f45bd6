// Backups of a live store and their restore (sync/backup.h), on real
// RocksDB folders: what they copy, and each refusal naming the path and
// why with nothing changed. The whole server under pushes:
// backup_binary_test.cc.
#include "sync/backup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>
#include <fstream>

#include "sync/column_families.h"
#include "sync/deterministic.h"
#include "sync/field_error.h"
#include "sync/server_replica.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

using ::testing::HasSubstr;
using testing::MutationBuilder;
namespace stdfs = std::filesystem;

// The folder's entries, names only, sorted: what "nothing changed" compares.
std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& e : stdfs::recursive_directory_iterator(dir, error)) {
    names.push_back(e.path().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(stdfs::create_directory(dir_.Sub("live")));
    auto store = RocksDbStore::Open(dir_.Sub("live/db"));
    ASSERT_OK(store);
    store_ = std::move(*store);
    auto replica = ServerReplica::Open(
        {.store = store_.get(), .areas = &areas_, .clock = &clock_});
    ASSERT_OK(replica);
    replica_ = std::move(*replica);
    for (uint64_t seq = 1; seq <= 5; ++seq) {
      auto pushed = replica_->Push(
          {MutationBuilder("tablet-1", seq, "report/r" + std::to_string(seq))
               .AreaId("xa-tan-phu-dong")
               .Results("kết quả " + std::to_string(seq))});
      ASSERT_OK(pushed);
      ASSERT_EQ(pushed->results(0).outcome(), v1::MUTATION_OUTCOME_APPLIED);
    }
  }

  // Every document of `store`, by key, serialized deterministically (map
  // entries in key order, so equal documents give equal bytes).
  static std::map<std::string, std::string> Docs(Store& store) {
    std::map<std::string, std::string> docs;
    EXPECT_OK(store.ScanDocs("", [&](const v1::Document& d) {
      docs[d.key()] = DeterministicBytes(d);
      return true;
    }));
    return docs;
  }

  void ExpectRefusedTarget(const std::string& target, const std::string& why) {
    SCOPED_TRACE(target);
    const std::vector<std::string> before = Entries(dir_.path());
    absl::StatusOr<BackupSummary> made = WriteBackup(*store_, target);
    ASSERT_EQ(made.status().code(), absl::StatusCode::kInvalidArgument)
        << made.status();
    EXPECT_THAT(std::string(made.status().message()), HasSubstr(target));
    EXPECT_THAT(std::string(made.status().message()), HasSubstr(why));
    std::vector<FieldViolation> fields = FieldViolations(made.status());
    ASSERT_EQ(fields.size(), 1u);
    EXPECT_EQ(fields[0].field(), "target_dir");
    EXPECT_EQ(Entries(dir_.path()), before) << "something was written";
  }

  testing::TempDir dir_;
  AreaTree areas_ = testing::SmallAreaTree();
  FakeClock clock_{1'790'000'000'000'000};
  std::unique_ptr<RocksDbStore> store_;
  std::unique_ptr<ServerReplica> replica_;
};

TEST_F(BackupTest, CopiesChecksAndRestoresEveryDocument) {
  const std::string target = dir_.Sub("backups/night-1");
  ASSERT_TRUE(stdfs::create_directory(dir_.Sub("backups")));
  absl::StatusOr<BackupSummary> made = WriteBackup(*store_, target);
  ASSERT_OK(made);
  const std::map<std::string, std::string> live = Docs(*store_);
  EXPECT_EQ(made->documents, live.size());
  EXPECT_EQ(made->last_sequence, replica_->last_sequence());
  EXPECT_GT(made->bytes, 0u);
  EXPECT_TRUE(stdfs::exists(stdfs::path(target) / kBackupManifestFile));

  // A push after the backup is not in it.
  ASSERT_OK(replica_->Push({MutationBuilder("tablet-1", 6, "report/r6")
                                .AreaId("xa-tan-phu-dong")
                                .Results("sau")}));

  absl::StatusOr<BackupSummary> restored =
      RestoreBackup(target, dir_.Sub("restored"));
  ASSERT_OK(restored);
  EXPECT_EQ(restored->documents, made->documents);
  EXPECT_EQ(restored->last_sequence, made->last_sequence);
  auto copy = RocksDbStore::Open(dir_.Sub("restored/db"));
  ASSERT_OK(copy);
  std::map<std::string, std::string> want = live;
  EXPECT_EQ(Docs(**copy), want);
  EXPECT_EQ(Docs(**copy).count("report/r6"), 0u);
}

TEST_F(BackupTest, AnEmptyFolderIsATarget) {
  ASSERT_TRUE(stdfs::create_directory(dir_.Sub("empty")));
  EXPECT_OK(WriteBackup(*store_, dir_.Sub("empty")).status());
}

TEST_F(BackupTest, BadTargetsAreRefusedNamingThemWithNothingWritten) {
  ASSERT_TRUE(stdfs::create_directory(dir_.Sub("full")));
  std::ofstream(dir_.Sub("full/note.txt")) << "giữ nguyên";
  std::ofstream(dir_.Sub("file")) << "x";
  ExpectRefusedTarget(dir_.Sub("full"), "exists and is not empty");
  ExpectRefusedTarget("relative/backup", "is a relative path");
  ExpectRefusedTarget("", "is empty");
  ExpectRefusedTarget(dir_.Sub("file"), "exists and is not a folder");
  ExpectRefusedTarget(dir_.Sub("no/such/parent"), "does not exist");
  ExpectRefusedTarget(dir_.Sub("file/backup"), "is not a folder");
  // Not writable, even for root: sysfs takes no new folders.
  ExpectRefusedTarget("/sys/fieldsync-backup-test", "cannot be made");
}

TEST_F(BackupTest, RestoreRefusesAFolderThatIsNotABackup) {
  ASSERT_TRUE(stdfs::create_directory(dir_.Sub("plain")));
  std::ofstream(dir_.Sub("plain/x.txt")) << "x";
  struct Case {
    std::string from, why;
  };
  ASSERT_TRUE(stdfs::create_directory(dir_.Sub("wrong-manifest")));
  std::ofstream(dir_.Sub("wrong-manifest/fieldsync-backup.txt"))
      << "something else\n";
  ASSERT_TRUE(stdfs::create_directory(dir_.Sub("no-store")));
  std::ofstream(dir_.Sub("no-store/fieldsync-backup.txt"))
      << "fieldsync backup 1\ndocuments 1\nbytes 1\nlast_sequence 1\n";
  for (const Case& c :
       {Case{dir_.Sub("plain"), "it has no fieldsync-backup.txt"},
        Case{dir_.Sub("missing"), "there is no such folder"},
        Case{dir_.Sub("plain/x.txt"), "it is not a folder"},
        Case{dir_.Sub("wrong-manifest"), "does not start"},
        Case{dir_.Sub("no-store"), "it has no store in db/"},
        Case{dir_.Sub("live"), "it has no fieldsync-backup.txt"}}) {
    SCOPED_TRACE(c.from);
    const std::vector<std::string> before = Entries(dir_.path());
    absl::StatusOr<BackupSummary> restored =
        RestoreBackup(c.from, dir_.Sub("new"));
    ASSERT_EQ(restored.status().code(), absl::StatusCode::kFailedPrecondition)
        << restored.status();
    EXPECT_THAT(std::string(restored.status().message()),
                HasSubstr("\"" + c.from + "\" is not a FieldSync backup"));
    EXPECT_THAT(std::string(restored.status().message()), HasSubstr(c.why));
    EXPECT_EQ(Entries(dir_.path()), before) << "something was written";
  }
}

TEST_F(BackupTest, RestoreRefusesANonEmptyDataFolder) {
  const std::string target = dir_.Sub("b");
  ASSERT_OK(WriteBackup(*store_, target).status());
  ASSERT_TRUE(stdfs::create_directory(dir_.Sub("busy")));
  std::ofstream(dir_.Sub("busy/admin-secret")) << "giữ nguyên";
  std::ofstream(dir_.Sub("a-file")) << "x";
  for (const auto& [into, why] :
       {std::pair<std::string, std::string>{dir_.Sub("busy"),
                                            "exists and is not empty"},
        {dir_.Sub("live"), "exists and is not empty"},
        {dir_.Sub("a-file"), "exists and is not a folder"}}) {
    SCOPED_TRACE(into);
    const std::vector<std::string> before = Entries(dir_.path());
    absl::StatusOr<BackupSummary> restored = RestoreBackup(target, into);
    ASSERT_EQ(restored.status().code(), absl::StatusCode::kFailedPrecondition)
        << restored.status();
    EXPECT_THAT(std::string(restored.status().message()),
                HasSubstr("--data-dir \"" + into + "\" " + why));
    EXPECT_EQ(Entries(dir_.path()), before) << "something was written";
  }
  // An empty folder is fine.
  ASSERT_TRUE(stdfs::create_directory(dir_.Sub("fresh")));
  EXPECT_OK(RestoreBackup(target, dir_.Sub("fresh")).status());
}

TEST_F(BackupTest, ARestoreThatDisagreesWithTheManifestLeavesNothing) {
  const std::string target = dir_.Sub("b");
  absl::StatusOr<BackupSummary> made = WriteBackup(*store_, target);
  ASSERT_OK(made);
  // The manifest says one more document than the copy holds.
  std::ofstream(stdfs::path(target) / kBackupManifestFile, std::ios::trunc)
      << "fieldsync backup 1\ndocuments " << made->documents + 1
      << "\nbytes 1\nlast_sequence " << made->last_sequence << "\n";
  absl::StatusOr<BackupSummary> restored =
      RestoreBackup(target, dir_.Sub("new"));
  EXPECT_EQ(restored.status().code(), absl::StatusCode::kDataLoss)
      << restored.status();
  EXPECT_FALSE(stdfs::exists(dir_.Sub("new")));
}

TEST_F(BackupTest, ACopyWhoseDocumentDoesNotParseFailsTheCheck) {
  const std::string target = dir_.Sub("b");
  ASSERT_OK(WriteBackup(*store_, target).status());
  EXPECT_OK(CheckStoreCopy(target + "/db").status());
  // Damage one document of the copy, by hand.
  {
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const ColumnFamilyInfo& cf : kColumnFamilies) {
      families.emplace_back(std::string(cf.name),
                            rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), target + "/db",
                                  families, &handles, &raw)
                    .ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    EXPECT_TRUE(db->Put(rocksdb::WriteOptions(),
                        handles[static_cast<size_t>(ColumnFamily::kDocs)],
                        "report/r1", "\xff\xff not a document")
                    .ok());
    for (rocksdb::ColumnFamilyHandle* h : handles) {
      EXPECT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
    }
  }
  absl::Status damaged = CheckStoreCopy(target + "/db").status();
  EXPECT_EQ(damaged.code(), absl::StatusCode::kDataLoss) << damaged;
  EXPECT_THAT(std::string(damaged.message()), HasSubstr("report/r1"));
  // And a restore of it refuses, leaving nothing.
  EXPECT_EQ(RestoreBackup(target, dir_.Sub("new")).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_FALSE(stdfs::exists(dir_.Sub("new")));
  // A folder that holds no store is no copy either.
  EXPECT_FALSE(CheckStoreCopy(dir_.Sub("nothing-here")).ok());
}

}  // namespace
}  // namespace fieldsync
