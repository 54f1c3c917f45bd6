// Upgrades (issue 18): a data folder and a tablet replica written by the
// release before format versions (kept in tests/fixtures/) open, migrate and
// serve under this one; a folder or replica marked with a newer format is
// refused naming both formats, before anything is written to it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "client-sdk/local_replica.h"
#include "sync/rocksdb_store.h"
#include "sync/server_replica.h"
#include "sync/store_format.h"
#include "tests/support/cli_env.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

const std::vector<std::string>& kEnglish = t::kEnglishEnv;

// Unpacks tests/fixtures/`name` into `dir`.
void Unpack(const std::string& name, const std::string& dir) {
  t::RunResult r = t::Run(
      {"/bin/tar", "-xzf",
       std::string(FS_SOURCE_DIR) + "/tests/fixtures/" + name, "-C", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

// Marks the store in `db` with `format`, as a newer release would.
void MarkFormat(const std::string& db, uint32_t format) {
  absl::StatusOr<std::unique_ptr<RocksDbStore>> store = RocksDbStore::Open(db);
  ASSERT_OK(store);
  WriteSet writes;
  writes.PutMeta(std::string(kFormatMetaKey), std::to_string(format));
  ASSERT_OK((*store)->Apply(writes));
}

// The format the store in `db` is in; a failure to read it fails the test.
uint32_t FormatOf(const std::string& db) {
  absl::StatusOr<std::unique_ptr<RocksDbStore>> store = RocksDbStore::Open(db);
  EXPECT_OK(store);
  if (!store.ok()) return 0;
  absl::StatusOr<uint32_t> format = StoredFormat(**store);
  EXPECT_OK(format);
  return format.value_or(0);
}

class UpgradeBinaryTest : public ::testing::Test {
 protected:
  // The fixture's Sa Đéc totals for 2024: the two figures its tablet sent.
  json Totals2024(const t::ServerProcess& server, const std::string& data) {
    t::RunResult r =
        t::Run({FS_CLI_BINARY, "--server", server.address(), "--secret-file",
                data + "/admin-secret", "--json", "totals", "--area",
                "tp-sa-dec", "--period", "2024"},
               kEnglish);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }

  t::TempDir dir_;
};

TEST_F(UpgradeBinaryTest, AnOlderDataFolderMigratesOnceAndServes) {
  Unpack("server-format-0.tar.gz", dir_.path());
  const std::string data = dir_.Sub("data");
  {
    t::ServerProcess server(data);
    ASSERT_FALSE(server.address().empty()) << server.process().err();
    EXPECT_THAT(server.process().out(),
                HasSubstr("migrated the data folder, format 0 to 1"));
    // What the old release stored is served: the admin it enrolled, the
    // figures its tablet sent, the aggregates they moved.
    json totals = Totals2024(server, data);
    ASSERT_FALSE(totals.is_discarded());
    ASSERT_EQ(totals["rows"].size(), 2u) << totals.dump();
    EXPECT_EQ(totals["rows"][0]["indicator"], "households");
    EXPECT_EQ(totals["rows"][0]["submitted"]["sum"], 12);
    EXPECT_EQ(totals["rows"][1]["indicator"], "members");
    EXPECT_EQ(totals["rows"][1]["submitted"]["sum"], 59);
    EXPECT_EQ(server.Stop(), 0);
  }
  EXPECT_EQ(FormatOf(data + "/db"), kServerStoreFormat);
  // The next start finds nothing to migrate.
  t::ServerProcess again(data);
  ASSERT_FALSE(again.address().empty()) << again.process().err();
  EXPECT_THAT(again.process().out(), Not(HasSubstr("migrated")));
  EXPECT_EQ(Totals2024(again, data)["rows"].size(), 2u);
}

TEST_F(UpgradeBinaryTest, AFolderOfANewerFormatIsRefusedNamingBoth) {
  Unpack("server-format-0.tar.gz", dir_.path());
  const std::string data = dir_.Sub("data");
  MarkFormat(data + "/db", kServerStoreFormat + 1);
  t::RunResult r = t::Run({FS_SERVER_BINARY, "--listen", "127.0.0.1:0",
                           "--plaintext", "--data-dir", data},
                          kEnglish, std::chrono::seconds(30));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat("data folder is in format ",
                                            kServerStoreFormat + 1)));
  EXPECT_THAT(
      r.err, HasSubstr(absl::StrCat("newer than format ", kServerStoreFormat)));
  EXPECT_THAT(r.out, Not(HasSubstr("listening")));
  // Refused before anything was written: still the newer format.
  EXPECT_EQ(FormatOf(data + "/db"), kServerStoreFormat + 1);
}

TEST_F(UpgradeBinaryTest, AnOlderTabletReplicaOpensAndANewerOneIsRefused) {
  Unpack("tablet-format-0.tar.gz", dir_.path());
  const std::string tablet = dir_.Sub("tab");
  // The reports the old tablet wrote are there, offline.
  t::RunResult listed =
      t::Run({FS_CLI_BINARY, "--data-dir", tablet, "--json", "report", "list"},
             kEnglish);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("xa-tan-phu-dong.huyen-tp-sa-dec-05.2024"));
  EXPECT_THAT(listed.out, HasSubstr("xa-tan-phu-dong.huyen-tp-sa-dec-05.2023"));
  EXPECT_EQ(FormatOf(tablet + "/replica"), client::kTabletStoreFormat);

  MarkFormat(tablet + "/replica", client::kTabletStoreFormat + 1);
  t::RunResult refused =
      t::Run({FS_CLI_BINARY, "--data-dir", tablet, "report", "list"}, kEnglish);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err,
              HasSubstr(absl::StrCat("tablet replica is in format ",
                                     client::kTabletStoreFormat + 1)));
}

}  // namespace
}  // namespace fieldsync
