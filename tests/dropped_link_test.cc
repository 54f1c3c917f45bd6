// Push and pull through a TCP proxy that cuts the connection after a random
// number of bytes: both complete with retries, nothing is lost or applied
// twice, and an interrupted pull resumes from its last page.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "client-sdk/sync_client.h"
#include "tests/support/dropping_proxy.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;

constexpr int kReports = 300;
constexpr int kMaxAttempts = 500;

client::SyncClientOptions Options(const std::string& target) {
  return {.target = target,
          .device_id = "weak-tablet",
          .scopes = {"province"},
          .timeout = std::chrono::seconds(10),
          .max_page_bytes = 2048,
          .max_batch_bytes = 2048,
          .max_reconnect_backoff = std::chrono::milliseconds(100)};
}

TEST(DroppedLinkTest, PushAndPullCompleteAcrossCutsWithNothingLostOrTwice) {
  t::TempDir dir;
  t::ServerProcess server(dir.Sub("data"), {"--dev-device-header"});
  ASSERT_FALSE(server.address().empty()) << server.process().err();
  t::DroppingProxy proxy(server.port(), 1500, 8000, /*seed=*/4242);

  // Text that gzip cannot shrink, so the cuts land inside pushes too.
  std::mt19937_64 rng(7);
  auto noise = [&] {
    std::string text;
    for (int i = 0; i < 24; ++i) absl::StrAppend(&text, rng() % 1000000, " ");
    return text;
  };
  std::vector<v1::Mutation> mutations;
  for (int i = 1; i <= kReports; ++i) {
    mutations.push_back(
        t::MutationBuilder("weak-tablet", i, "report/weak-" + std::to_string(i))
            .AreaId("xa-tan-phu-dong")
            .Results("báo cáo số " + std::to_string(i) + ": " + noise())
            .Indicator("members", i));
  }

  // Push like an outbox: after a cut, resend only what the server did not
  // acknowledge (a batch cut before its answer is resent: the server says
  // "duplicate" for what it had applied).
  std::vector<v1::Mutation> pending = mutations;
  std::map<uint64_t, v1::MutationResult> results;
  int push_attempts = 0;
  while (!pending.empty() && ++push_attempts <= kMaxAttempts) {
    client::SyncClient tablet(Options(proxy.address()));
    std::vector<v1::MutationResult> acknowledged;
    tablet.Push(pending, &acknowledged).IgnoreError();
    for (const v1::MutationResult& r : acknowledged) {
      // The first answer is the one that counts; a later duplicate repeats it.
      results.emplace(r.mutation_seq(), r);
    }
    pending.erase(pending.begin(), pending.begin() + acknowledged.size());
  }
  ASSERT_TRUE(pending.empty())
      << pending.size() << " mutations never got through in " << kMaxAttempts
      << " attempts";
  ASSERT_EQ(results.size(), static_cast<size_t>(kReports));
  EXPECT_GT(proxy.cuts(), 2) << "the proxy hardly cut: the test proves little";
  int duplicates = 0;
  for (const auto& [seq, r] : results) {
    const bool duplicate = r.outcome() == v1::MUTATION_OUTCOME_DUPLICATE;
    duplicates += duplicate;
    EXPECT_EQ(duplicate ? r.original_outcome() : r.outcome(),
              v1::MUTATION_OUTCOME_APPLIED)
        << seq << ": " << r.reason();
  }

  // Pull: every retry continues from the cursor of the last whole page.
  const int cuts_before_pull = proxy.cuts();
  std::string cursor;
  std::map<std::string, int> received;
  int pull_attempts = 0, resumed = 0;
  while (++pull_attempts <= kMaxAttempts) {
    if (!cursor.empty()) ++resumed;
    client::SyncClient tablet(Options(proxy.address()));
    absl::Status s = tablet.Pull(cursor, [&](const v1::PullResponse& page) {
      for (const v1::Document& d : page.documents()) ++received[d.key()];
    });
    if (s.ok()) break;
  }
  ASSERT_LE(pull_attempts, kMaxAttempts);
  EXPECT_GT(proxy.cuts(), cuts_before_pull);
  EXPECT_GT(resumed, 0) << "no pull was interrupted and resumed";

  int reports = 0;
  for (const auto& [key, times] : received) {
    EXPECT_EQ(times, 1) << key << " was received " << times << " times";
    if (key.starts_with("report/weak-")) ++reports;
  }
  EXPECT_EQ(reports, kReports);

  // On the server, over a clean link: each report written once.
  client::SyncClient direct(Options(server.address()));
  std::string from_start;
  int checked = 0;
  ASSERT_TRUE(
      direct
          .Pull(from_start,
                [&](const v1::PullResponse& page) {
                  for (const v1::Document& d : page.documents()) {
                    if (!d.key().starts_with("report/weak-")) continue;
                    ++checked;
                    EXPECT_EQ(d.version(), d.field_versions().at("results"))
                        << d.key() << " was written more than once";
                  }
                })
          .ok());
  EXPECT_EQ(checked, kReports);
  std::cout << push_attempts << " push attempts (" << duplicates
            << " answered as duplicates), " << pull_attempts
            << " pull attempts, " << proxy.cuts() << " cuts\n";
}

}  // namespace
}  // namespace fieldsync
