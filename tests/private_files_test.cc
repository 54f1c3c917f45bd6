#include "sync/private_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

using ::testing::HasSubstr;

mode_t ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode;
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs the test under a permissive umask, as a careless start script would.
class PrivateFilesTest : public ::testing::Test {
 protected:
  void SetUp() override { saved_ = ::umask(0); }
  void TearDown() override { ::umask(saved_); }

  testing::TempDir dir_;
  mode_t saved_ = 0;
};

TEST_F(PrivateFilesTest, FoldersAreOwnerOnlyNewOrTightened) {
  ASSERT_OK(MakePrivateDir(dir_.Sub("a/b/c")));
  EXPECT_EQ(ModeOf(dir_.Sub("a/b/c")) & 07777, 0700);
  ASSERT_EQ(::mkdir(dir_.Sub("wide").c_str(), 0777), 0);
  ASSERT_OK(MakePrivateDir(dir_.Sub("wide")));
  EXPECT_EQ(ModeOf(dir_.Sub("wide")) & 07777, 0700);
}

TEST_F(PrivateFilesTest, AFileInTheWayOfAFolderIsNamed) {
  std::ofstream(dir_.Sub("file")) << "x";
  absl::Status s = MakePrivateDir(dir_.Sub("file"));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr(dir_.Sub("file")));
}

TEST_F(PrivateFilesTest, FilesAreOwnerOnlyAndReplacedWhole) {
  const std::string path = dir_.Sub("secret");
  ASSERT_OK(ReplacePrivateFile(path, "first\n"));
  EXPECT_EQ(ModeOf(path) & 07777, 0600);
  EXPECT_EQ(Read(path), "first\n");
  ::chmod(path.c_str(), 0644);
  ASSERT_OK(ReplacePrivateFile(path, "second\n"));
  EXPECT_EQ(ModeOf(path) & 07777, 0600);
  EXPECT_EQ(Read(path), "second\n");
  EXPECT_NE(::access((path + ".tmp").c_str(), F_OK), 0);
}

// A link planted where a secret goes, or where its temporary goes, is
// replaced or removed; what it points to is never written.
TEST_F(PrivateFilesTest, LinksPlantedOnThePathAreNeverFollowed) {
  const std::string bait = dir_.Sub("bait");
  std::ofstream(bait) << "untouched";
  const std::string path = dir_.Sub("admin-secret");
  ASSERT_EQ(::symlink(bait.c_str(), path.c_str()), 0);
  ASSERT_EQ(::symlink(bait.c_str(), (path + ".tmp").c_str()), 0);
  ASSERT_OK(ReplacePrivateFile(path, "secret\n"));
  EXPECT_TRUE(S_ISREG(ModeOf(path)));
  EXPECT_EQ(Read(path), "secret\n");
  EXPECT_EQ(Read(bait), "untouched");
  EXPECT_NE(::access((path + ".tmp").c_str(), F_OK), 0);
}

TEST_F(PrivateFilesTest, AFolderThatCannotTakeTheFileIsNamed) {
  absl::Status s = ReplacePrivateFile(dir_.Sub("missing/secret"), "x");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr("missing/secret"));
}

}  // namespace
}  // namespace fieldsync
