// The server's data folder and a tablet's folder are their user's alone
// whatever umask they are started with, and a secret is never written
// through a link planted where it goes (issue 18, "Files").
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "client-sdk/admin_client.h"
#include "client-sdk/secret_file.h"
#include "tests/support/cli_env.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

mode_t ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode;
}

// Every entry under `root` that others may read, write or enter.
std::vector<std::string> OpenToOthers(const std::string& root) {
  std::vector<std::string> open;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(root)) {
    if ((ModeOf(entry.path().string()) & 077) != 0) {
      open.push_back(entry.path().string());
    }
  }
  return open;
}

// Started as from a shell with the common umask 022, under which RocksDB's
// files and new folders would be readable by every user of the machine.
class PrivateFilesBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override { saved_ = ::umask(022); }
  void TearDown() override { ::umask(saved_); }

  t::TempDir dir_;
  mode_t saved_ = 0;
};

TEST_F(PrivateFilesBinaryTest, TheDataFolderIsTheServersUserAlone) {
  const std::string data = dir_.Sub("data");
  // A folder made by hand, open to all, and a link planted where the first
  // admin's secret goes, pointing at a file its planter could read.
  ASSERT_EQ(::mkdir(data.c_str(), 0755), 0);
  ::chmod(data.c_str(), 0755);
  const std::string bait = dir_.Sub("bait");
  std::ofstream(bait) << "planted";
  ASSERT_EQ(::symlink(bait.c_str(), (data + "/admin-secret").c_str()), 0);

  t::ServerProcess server(data, {"--tls-self-signed"});
  ASSERT_FALSE(server.address().empty()) << server.process().err();
  EXPECT_EQ(ModeOf(data) & 07777, 0700);
  EXPECT_THAT(OpenToOthers(data), ::testing::IsEmpty());
  // The secret went into a new file of its own; the link's target kept
  // what it held.
  EXPECT_TRUE(S_ISREG(ModeOf(data + "/admin-secret")));
  EXPECT_EQ(Read(bait), "planted");
  absl::StatusOr<std::string> secret =
      client::ReadSecretFile(data + "/admin-secret");
  ASSERT_OK(secret);
  EXPECT_FALSE(secret->empty());
  EXPECT_EQ(server.Stop(), 0);
  // Every file RocksDB wrote while serving and stopping, too.
  EXPECT_THAT(OpenToOthers(data), ::testing::IsEmpty());
}

TEST_F(PrivateFilesBinaryTest, ATabletsFolderIsItsUserAlone) {
  t::ServerProcess server(dir_.Sub("data"));
  ASSERT_FALSE(server.address().empty()) << server.process().err();
  absl::StatusOr<std::string> admin_secret =
      client::ReadSecretFile(dir_.Sub("data/admin-secret"));
  ASSERT_OK(admin_secret);
  client::AdminClient admin(server.address(), *admin_secret);
  v1::EnrollDeviceRequest request;
  request.set_name("Máy tính bảng Tân Phú Đông");
  request.set_role(v1::ROLE_COMMUNE_OFFICER);
  request.set_area_id("xa-tan-phu-dong");
  absl::StatusOr<v1::EnrollDeviceResponse> enrolled = admin.Enroll(request);
  ASSERT_OK(enrolled);

  // The tablet's folder exists already, open to all.
  const std::string tablet = dir_.Sub("tablet");
  ASSERT_EQ(::mkdir(tablet.c_str(), 0755), 0);
  ::chmod(tablet.c_str(), 0755);
  const std::vector<std::string>& env = t::kEnglishEnv;
  t::RunResult login =
      t::Run({FS_CLI_BINARY, "--data-dir", tablet, "--server", server.address(),
              "login", "--secret", enrolled->secret()},
             env);
  ASSERT_EQ(login.exit_code, 0) << login.err;
  t::RunResult sync =
      t::Run({FS_CLI_BINARY, "--data-dir", tablet, "sync"}, env);
  EXPECT_EQ(sync.exit_code, 0) << sync.err;

  EXPECT_EQ(ModeOf(tablet) & 07777, 0700);
  EXPECT_EQ(ModeOf(tablet + "/secret") & 07777, 0600);
  EXPECT_EQ(ModeOf(tablet + "/login.txt") & 07777, 0600);
}

}  // namespace
}  // namespace fieldsync
