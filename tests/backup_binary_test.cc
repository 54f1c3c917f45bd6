// Must show of issue 18 "Backup and restore", with the real binaries: the
// server serves pushes from several tablets (threads) while
// `fieldsync admin backup` runs; the backup is restored with
// `fieldsync-server --restore-from` into a new folder and a server started
// on it holds every mutation acknowledged before the backup began, each
// document whole and equal to one of its acknowledged states, with the same
// checksum as the live server's for every document both hold at the same
// version. The refusals of bad targets and folders, through the CLI and
// the server's flags, with nothing changed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "client-sdk/admin_client.h"
#include "client-sdk/sync_client.h"
#include "sync/deterministic.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

using ::testing::HasSubstr;
namespace t = fieldsync::testing;
namespace stdfs = std::filesystem;

const std::vector<std::string> kEnglish = {"LANG=C.UTF-8",
                                           "LC_ALL=", "LC_MESSAGES="};

// One acknowledged state of a document: its version and results text, and
// whether the ack arrived before the backup began.
struct Acked {
  uint64_t version = 0;
  std::string results;
  bool before_backup = false;
};

// Each document's checksum (CRC-32 of its deterministic bytes), version and
// results, as a province admin pulls them from `address`.
struct Pulled {
  uint64_t version = 0;
  uint32_t checksum = 0;
  std::string results;
};
std::map<std::string, Pulled> PullEverything(const std::string& address,
                                             const std::string& admin_id,
                                             const std::string& secret) {
  client::SyncClient tablet(
      {.target = address, .device_id = admin_id, .secret = secret});
  std::map<std::string, Pulled> docs;
  std::string cursor;
  absl::Status pulled = tablet.Pull(cursor, [&](const v1::PullResponse& page) {
    for (const v1::Document& doc : page.documents()) {
      docs[doc.key()] = {
          doc.version(),
          ChecksumAppend(ChecksumStart(), DeterministicBytes(doc)),
          doc.has_report() ? doc.report().results() : ""};
    }
  });
  EXPECT_OK(pulled);
  return docs;
}

class BackupBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<t::ServerProcess>(dir_.Sub("data"));
    ASSERT_FALSE(server_->address().empty()) << server_->process().err();
    admin_secret_ = *client::ReadSecretFile(dir_.Sub("data/admin-secret"));
  }

  // `fieldsync admin backup --to DIR --json` as the first province admin,
  // or with `secret_file`.
  t::RunResult Backup(const std::string& to, bool json = true,
                      const std::string& secret_file = "") {
    std::vector<std::string> args = {FS_CLI_BINARY, "--server",
                                     server_->address()};
    if (json) args.push_back("--json");
    for (const char* a : {"admin", "backup", "--to"}) args.push_back(a);
    args.push_back(to);
    std::vector<std::string> env = kEnglish;
    env.push_back(
        "FIELDSYNC_SECRET_FILE=" +
        (secret_file.empty() ? dir_.Sub("data/admin-secret") : secret_file));
    env.push_back("COLUMNS=160");
    return t::Run(args, env, std::chrono::seconds(120));
  }

  t::RunResult Restore(const std::string& from, const std::string& into) {
    return t::Run(
        {FS_SERVER_BINARY, "--restore-from", from, "--data-dir", into},
        kEnglish);
  }

  t::TempDir dir_;
  std::unique_ptr<t::ServerProcess> server_;
  std::string admin_secret_;
};

TEST_F(BackupBinaryTest, ABackupTakenUnderPushesRestoresEveryAckedMutation) {
  client::AdminClient admin(server_->address(), admin_secret_);
  auto me = admin.WhoAmI();
  ASSERT_OK(me);
  const std::string admin_id = me->device().id();

  constexpr int kTablets = 4;
  constexpr int kDocsPerTablet = 6;
  struct Tablet {
    std::string id, secret;
  };
  std::vector<Tablet> tablets;
  for (int i = 0; i < kTablets; ++i) {
    v1::EnrollDeviceRequest request;
    request.set_name("Tổ thống kê " + std::to_string(i));
    request.set_role(v1::ROLE_COMMUNE_OFFICER);
    request.set_area_id("xa-tan-phu-dong");
    auto enrolled = admin.Enroll(request);
    ASSERT_OK(enrolled);
    tablets.push_back({enrolled->device().id(), enrolled->secret()});
  }

  std::atomic<bool> backup_began{false};
  std::atomic<bool> backup_ended{false};
  std::atomic<bool> stop{false};
  std::atomic<bool> failed{false};
  std::atomic<int> acked_during_backup{0};
  std::atomic<int> acked_total{0};
  std::mutex mu;
  std::map<std::string, std::vector<Acked>> acked;  // by key, in order
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (const Tablet& tablet : tablets) {
    threads.emplace_back([&, tablet] {
      client::SyncClient sync({.target = server_->address(),
                               .device_id = tablet.id,
                               .secret = tablet.secret});
      std::map<std::string, uint64_t> versions;
      // Each tablet edits its own documents over and over, so a document
      // has many acknowledged states; pushes go on until well after the
      // backup ended.
      int rounds_after = 0;
      for (uint64_t seq = 1; !stop.load() && rounds_after < 20; ++seq) {
        const std::string key =
            "report/" + tablet.id + "-" + std::to_string(seq % kDocsPerTablet);
        const std::string results = "lần " + std::to_string(seq);
        auto pushed = sync.Push({t::MutationBuilder(tablet.id, seq, key)
                                     .Base(versions[key])
                                     .AreaId("xa-tan-phu-dong")
                                     .Period("2025")
                                     .Results(results)});
        // Read once the ack is here: false means it came before the
        // backup was started.
        const bool before = !backup_began.load();
        const bool during = !before && !backup_ended.load();
        std::lock_guard<std::mutex> lock(mu);
        if (!pushed.ok() ||
            (*pushed)[0].outcome() != v1::MUTATION_OUTCOME_APPLIED) {
          failed = true;
          failures.push_back(key + ": " +
                             (pushed.ok() ? (*pushed)[0].ShortDebugString()
                                          : pushed.status().ToString()));
          return;
        }
        versions[key] = (*pushed)[0].version();
        acked[key].push_back({versions[key], results, before});
        ++acked_total;
        if (during) ++acked_during_backup;
        if (backup_ended.load()) ++rounds_after;
      }
    });
  }
  // Let every tablet get some acks in, then back up while they push.
  while (acked_total.load() < kTablets * 10 && !failed.load()) {
    std::this_thread::yield();
  }
  backup_began = true;
  const std::string backup_dir = dir_.Sub("backups/night-1");
  stdfs::create_directory(dir_.Sub("backups"));
  t::RunResult backup = Backup(backup_dir);
  backup_ended = true;
  for (std::thread& th : threads) th.join();
  ASSERT_THAT(failures, ::testing::IsEmpty());
  ASSERT_EQ(backup.exit_code, 0) << backup.out << backup.err;
  const nlohmann::json made = nlohmann::json::parse(backup.out, nullptr, false);
  ASSERT_FALSE(made.is_discarded()) << backup.out;
  // uint64 fields are strings in protobuf's JSON.
  const uint64_t backup_sequence =
      std::stoull(made["last_sequence"].get<std::string>());
  EXPECT_GT(std::stoull(made["documents"].get<std::string>()), 100u);
  // Pushes went on while the CLI ran: the backup held none of them back.
  EXPECT_GT(acked_during_backup.load(), 0);
  std::cout << "pushes acknowledged: " << acked_total.load() << ", during the "
            << "backup: " << acked_during_backup.load()
            << "; backup: " << backup.out << std::endl;

  // Restore into a new folder with the real server binary and serve it.
  t::RunResult restored = Restore(backup_dir, dir_.Sub("restored"));
  ASSERT_EQ(restored.exit_code, 0) << restored.out << restored.err;
  EXPECT_THAT(restored.out, HasSubstr("restored "));
  EXPECT_THAT(restored.out,
              HasSubstr("up to sequence " + std::to_string(backup_sequence)));
  t::ServerProcess again(dir_.Sub("restored"));
  ASSERT_FALSE(again.address().empty()) << again.process().err();

  const std::map<std::string, Pulled> live =
      PullEverything(server_->address(), admin_id, admin_secret_);
  const std::map<std::string, Pulled> copy =
      PullEverything(again.address(), admin_id, admin_secret_);
  ASSERT_GT(copy.size(), 100u);

  // Every mutation acknowledged before the backup began is there, or a
  // later acknowledged state of its document; every document pushed is one
  // of its acknowledged states, whole.
  int checked_before = 0;
  for (const auto& [key, states] : acked) {
    SCOPED_TRACE(key);
    size_t first_allowed = 0;  // the last state acked before the backup
    bool any_before = false;
    for (size_t i = 0; i < states.size(); ++i) {
      if (states[i].before_backup) {
        first_allowed = i;
        any_before = true;
      }
    }
    auto it = copy.find(key);
    if (it == copy.end()) {
      EXPECT_FALSE(any_before) << "acknowledged before the backup, missing";
      continue;
    }
    bool matched = false;
    for (size_t i = first_allowed; i < states.size(); ++i) {
      if (states[i].version == it->second.version) {
        EXPECT_EQ(it->second.results, states[i].results);
        EXPECT_LE(states[i].version, backup_sequence);
        matched = true;
      }
    }
    EXPECT_TRUE(matched) << "version " << it->second.version
                         << " is no acknowledged state at or after the last "
                            "one acknowledged before the backup";
    if (any_before) ++checked_before;
  }
  EXPECT_EQ(checked_before, kTablets * kDocsPerTablet);

  // The same checksum for every document both servers hold at one version;
  // a document at another version was changed after the backup (above).
  int same = 0;
  for (const auto& [key, doc] : copy) {
    auto it = live.find(key);
    ASSERT_NE(it, live.end()) << key << " is only in the restored server";
    if (it->second.version == doc.version) {
      EXPECT_EQ(it->second.checksum, doc.checksum) << key;
      ++same;
    } else {
      EXPECT_LT(doc.version, it->second.version) << key;
      EXPECT_TRUE(acked.count(key)) << key << " changed, but no tablet did";
    }
  }
  EXPECT_GT(same, 100);
  EXPECT_EQ(again.Stop(), 0);
}

TEST_F(BackupBinaryTest, BadTargetsAreRefusedNamingThemAndNothingIsWritten) {
  stdfs::create_directory(dir_.Sub("full"));
  std::ofstream(dir_.Sub("full/keep.txt")) << "giữ nguyên";
  struct Case {
    std::string to, why;
  };
  for (const Case& c :
       {Case{dir_.Sub("full"), "exists and is not empty"},
        Case{"backups/tonight", "is a relative path"},
        Case{"/sys/fieldsync-backup-test", "cannot be made"},
        Case{dir_.Sub("data/db/inside"), "is inside the live data folder"}}) {
    SCOPED_TRACE(c.to);
    t::RunResult refused = Backup(c.to, /*json=*/false);
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_THAT(refused.err + refused.out, HasSubstr(c.to));
    EXPECT_THAT(refused.err + refused.out, HasSubstr(c.why));
  }
  EXPECT_EQ(stdfs::directory_iterator(dir_.Sub("full"))->path().filename(),
            "keep.txt");
  EXPECT_FALSE(stdfs::exists(dir_.Sub("backups")));
  EXPECT_FALSE(stdfs::exists(dir_.Sub("data/db/inside")));

  // Not for a district officer, nor an auditor.
  client::AdminClient admin(server_->address(), admin_secret_);
  v1::EnrollDeviceRequest request;
  request.set_name("Kiểm toán");
  request.set_role(v1::ROLE_AUDITOR);
  request.set_area_id("dong-thap");
  auto auditor = admin.Enroll(request);
  ASSERT_OK(auditor);
  std::ofstream(dir_.Sub("auditor-secret")) << auditor->secret();
  t::RunResult denied = Backup(dir_.Sub("by-auditor"), /*json=*/false,
                               dir_.Sub("auditor-secret"));
  EXPECT_NE(denied.exit_code, 0);
  EXPECT_FALSE(stdfs::exists(dir_.Sub("by-auditor")));

  // A readable table without --json.
  t::RunResult made = Backup(dir_.Sub("ok"), /*json=*/false);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_THAT(made.out, HasSubstr("last sequence"));
  EXPECT_THAT(made.out, HasSubstr("backup written and checked"));
}

TEST_F(BackupBinaryTest, RestoreRefusesNamingThePathWithNothingChanged) {
  ASSERT_EQ(Backup(dir_.Sub("b")).exit_code, 0);
  stdfs::create_directory(dir_.Sub("busy"));
  std::ofstream(dir_.Sub("busy/keep.txt")) << "x";
  stdfs::create_directory(dir_.Sub("plain"));
  struct Case {
    std::string from, into, why;
  };
  for (const Case& c :
       {Case{dir_.Sub("plain"), dir_.Sub("new"),
             "\"" + dir_.Sub("plain") +
                 "\" is not a FieldSync backup: it has no "
                 "fieldsync-backup.txt"},
        Case{dir_.Sub("data"), dir_.Sub("new"), "is not a FieldSync backup"},
        Case{dir_.Sub("b"), dir_.Sub("busy"),
             "--data-dir \"" + dir_.Sub("busy") + "\" exists and is not empty"},
        Case{dir_.Sub("b"), dir_.Sub("data"), "exists and is not empty"}}) {
    SCOPED_TRACE(c.from + " -> " + c.into);
    t::RunResult refused = Restore(c.from, c.into);
    EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("restore refused, nothing changed"));
    EXPECT_THAT(refused.err, HasSubstr(c.why));
  }
  EXPECT_FALSE(stdfs::exists(dir_.Sub("new")));
  EXPECT_EQ(std::distance(stdfs::directory_iterator(dir_.Sub("busy")),
                          stdfs::directory_iterator()),
            1);
  // No --data-dir: the default folder is never restored into by mistake.
  t::RunResult no_dir =
      t::Run({FS_SERVER_BINARY, "--restore-from", dir_.Sub("b")}, kEnglish);
  EXPECT_EQ(no_dir.exit_code, 2);
  EXPECT_THAT(no_dir.err, HasSubstr("--restore-from needs --data-dir"));
}

}  // namespace
}  // namespace fieldsync
