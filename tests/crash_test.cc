// Kills the real server with SIGKILL at random moments while a tablet
// process pushes, restarts it (compacting the log each time), and checks
// that every acknowledged mutation is stored exactly once, re-pushing it
// answers "duplicate", and a pull cursor from before the crashes resumes.
// FIELDSYNC_CRASHES sets the number of kills (default 20; 200 for a long run).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <random>
#include <regex>
#include <set>

#include "client-sdk/sync_client.h"
#include "sync/rocksdb_store.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/tablet_mutations.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;

constexpr char kDevice[] = "crash-tablet";

int Crashes() {
  const char* value = std::getenv("FIELDSYNC_CRASHES");
  return value == nullptr ? 20 : std::atoi(value);
}

// The acknowledged seqs printed so far ("acked <seq> <outcome>").
std::set<uint64_t> Acked(const std::string& out) {
  std::set<uint64_t> seqs;
  static const std::regex kLine(R"(acked (\d+) )");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), kLine);
       it != std::sregex_iterator(); ++it) {
    seqs.insert(std::stoull((*it)[1]));
  }
  return seqs;
}

TEST(CrashTest, AcknowledgedMutationsSurviveKillsExactlyOnce) {
  t::TempDir dir;
  auto server = std::make_unique<t::ServerProcess>(
      dir.Sub("data"), std::vector<std::string>{"--dev-device-header"});
  ASSERT_FALSE(server->address().empty()) << server->process().err();
  const std::string address = server->address();
  // Each restart also compacts the whole log (retention 0): the cursor taken
  // before the crashes must still resume.
  const std::vector<std::string> fixed_port = {
      "--dev-device-header", "--listen", address, "--log-retention", "0"};

  client::SyncClient probe(
      {.target = address, .device_id = "observer", .scopes = {"province"}});
  std::string early_cursor;
  ASSERT_OK(probe.Pull(early_cursor, [](const v1::PullResponse&) {}));

  t::Subprocess tablet({FS_TABLET_BINARY, "--server", address, "--device",
                        kDevice, "--forever"});
  std::mt19937 rng(20261123);
  const int crashes = Crashes();
  for (int i = 0; i < crashes; ++i) {
    // Let the tablet get a few mutations through, then kill mid-stream.
    const int wait_for = std::uniform_int_distribution<int>(1, 15)(rng);
    for (int k = 0; k < wait_for; ++k) {
      ASSERT_TRUE(tablet.WaitForLine("acked", std::chrono::seconds(30)))
          << "crash " << i << ": the tablet made no progress\n"
          << tablet.err() << server->process().err();
    }
    server->process().Signal(SIGKILL);
    server->process().Wait();
    server = std::make_unique<t::ServerProcess>(dir.Sub("data"), fixed_port);
    ASSERT_EQ(server->address(), address)
        << server->process().out() << server->process().err();
  }
  ASSERT_TRUE(tablet.WaitForLine("acked", std::chrono::seconds(30)));
  tablet.Signal(SIGKILL);
  tablet.Wait();
  const std::set<uint64_t> acked = Acked(tablet.out());
  ASSERT_FALSE(acked.empty());

  // Re-pushing every acknowledged mutation answers "duplicate".
  client::SyncClient again(
      {.target = address, .device_id = kDevice, .scopes = {"province"}});
  std::vector<v1::Mutation> replay;
  std::mt19937 tablet_rng(1);  // as the tablet's, from its first seq
  for (uint64_t seq = 1; seq <= *acked.rbegin(); ++seq) {
    v1::Mutation m = t::TabletMutation(kDevice, seq, tablet_rng, 0);
    if (acked.contains(seq)) replay.push_back(std::move(m));
  }
  auto results = again.Push(replay);
  ASSERT_OK(results);
  for (const v1::MutationResult& r : *results) {
    EXPECT_EQ(r.outcome(), v1::MUTATION_OUTCOME_DUPLICATE)
        << "seq " << r.mutation_seq() << ": " << r.reason();
  }
  // Another mutation under an acknowledged number is no duplicate: it is
  // refused, and nothing it says is taken.
  auto reused =
      again.Push({t::MutationBuilder(kDevice, *acked.begin(), "report/replay")
                      .AreaId("xa-tan-phu-dong")
                      .Results("again")});
  ASSERT_OK(reused);
  EXPECT_EQ((*reused)[0].reason_code(), v1::MUTATION_REASON_SEQ_REUSED);

  // The cursor from before the crashes resumes and sees the new reports.
  std::set<std::string> pulled;
  ASSERT_TRUE(probe
                  .Pull(early_cursor,
                        [&](const v1::PullResponse& page) {
                          for (const auto& d : page.documents()) {
                            pulled.insert(d.key());
                          }
                        })
                  .ok());
  for (uint64_t seq : acked) {
    EXPECT_TRUE(pulled.contains(absl::StrCat("report/", kDevice, "-", seq)))
        << seq;
  }

  // In the store: each acknowledged mutation has one result and wrote its
  // report exactly once (one version, set by that mutation).
  ASSERT_EQ(server->Stop(), 0) << server->process().err();
  auto store = RocksDbStore::Open(dir.Sub("data") + "/db");
  ASSERT_OK(store);
  for (uint64_t seq : acked) {
    auto result = (*store)->GetResult(kDevice, seq);
    ASSERT_TRUE(result.ok() && result->has_value()) << "seq " << seq;
    EXPECT_EQ((*result)->outcome(), v1::MUTATION_OUTCOME_APPLIED) << seq;
    auto doc = (*store)->GetDoc(absl::StrCat("report/", kDevice, "-", seq));
    ASSERT_TRUE(doc.ok() && doc->has_value()) << "seq " << seq;
    EXPECT_EQ((*doc)->version(), (*result)->sequence()) << "seq " << seq;
    int versions = 0;
    ASSERT_TRUE((*store)
                    ->ScanHistory((*doc)->key(),
                                  [&](const v1::Document&) {
                                    ++versions;
                                    return true;
                                  })
                    .ok());
    EXPECT_EQ(versions, 1) << "seq " << seq << " was applied twice";
  }
  std::cout << crashes << " kills, " << acked.size()
            << " acknowledged mutations, all present once\n";
}

}  // namespace
}  // namespace fieldsync
