// /metrics, /healthz and /readyz of the real fieldsync-server (issue 18,
// Metrics): scraped before a push, while its stream is open (between two
// of its batches) and after it and a pull; the counters move by what was
// sent, and every scrape parses with Debian's python3-prometheus-client
// (tests/clients/metrics_parse.py), the parser Prometheus' own tools
// follow. Also: the listener refuses a non-loopback address unless
// allowed, and "" turns it off.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/sync_client.h"
#include "tests/support/http_get.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;
using ::testing::Not;

// Debian's Python, which sees python3-prometheus-client (pyenv's may not).
constexpr char kPython[] = "/usr/bin/python3";

class MetricsBinaryTest : public ::testing::Test {
 protected:
  // GET /metrics, kept in a file for the parser.
  std::string Scrape(int port) {
    absl::StatusOr<t::HttpAnswer> answer = t::HttpGet(port, "/metrics");
    EXPECT_OK(answer);
    if (!answer.ok()) return "";
    EXPECT_EQ(answer->status, 200) << answer->body;
    EXPECT_THAT(answer->headers, HasSubstr("text/plain; version=0.0.4"));
    const std::string path = dir_.Sub(absl::StrCat("scrape-", scrapes_++));
    std::ofstream(path) << answer->body;
    files_.push_back(path);
    return path;
  }

  // Every scrape so far, as the Python parser read it.
  nlohmann::json ParseAll() {
    std::vector<std::string> argv = {
        kPython, FS_SOURCE_DIR "/tests/clients/metrics_parse.py"};
    argv.insert(argv.end(), files_.begin(), files_.end());
    t::RunResult parsed = t::Run(argv);
    EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
    return parsed.exit_code == 0 ? nlohmann::json::parse(parsed.out)
                                 : nlohmann::json::array();
  }

  t::TempDir dir_;
  int scrapes_ = 0;
  std::vector<std::string> files_;
};

double Sample(const nlohmann::json& scrape, const std::string& name) {
  const auto& samples = scrape["samples"];
  EXPECT_TRUE(samples.contains(name)) << name;
  return samples.contains(name) ? samples[name].get<double>() : -1;
}

TEST_F(MetricsBinaryTest, CountersMoveWithAPushAndTheTextParses) {
  t::ServerProcess server(dir_.Sub("data"));
  ASSERT_FALSE(server.address().empty()) << server.process().err();
  const int port = server.metrics_port();
  ASSERT_GT(port, 0) << server.process().out();

  for (const char* path : {"/healthz", "/readyz"}) {
    absl::StatusOr<t::HttpAnswer> answer = t::HttpGet(port, path);
    ASSERT_OK(answer);
    EXPECT_EQ(answer->status, 200) << path << ": " << answer->body;
  }

  client::AdminClient root(
      server.address(), *client::ReadSecretFile(dir_.Sub("data/admin-secret")));
  v1::EnrollDeviceRequest request;
  request.set_name("máy tính bảng xã Tân Phú Đông");
  request.set_role(v1::ROLE_COMMUNE_OFFICER);
  request.set_area_id("xa-tan-phu-dong");
  absl::StatusOr<v1::EnrollDeviceResponse> enrolled = root.Enroll(request);
  ASSERT_OK(enrolled);
  const std::string id = enrolled->device().id();

  Scrape(port);  // 0: before

  // Small batches, so the stream is still open after the first answer.
  client::SyncClient tablet({.target = server.address(),
                             .device_id = id,
                             .secret = enrolled->secret(),
                             .max_batch_bytes = 1024});
  std::vector<v1::Mutation> reports;
  for (int i = 1; i <= 20; ++i) {
    reports.push_back(t::MutationBuilder(id, i, absl::StrCat("report/m", i))
                          .AreaId("xa-tan-phu-dong")
                          .Period("2021")
                          .Results(std::string(200, 'x')));
  }
  int batches = 0;
  ASSERT_OK(tablet.PushBatches(
      reports, [&](const std::vector<v1::MutationResult>&, size_t) {
        if (batches++ == 0) Scrape(port);  // 1: during, the stream open
      }));
  ASSERT_GE(batches, 2);
  // The same mutations again: duplicates, counted as such.
  ASSERT_OK(tablet.Push({reports.front()}));
  std::string cursor;
  int pages = 0;
  ASSERT_OK(tablet.Pull(cursor, [&](const v1::PullResponse&) { ++pages; }));
  ASSERT_GT(pages, 0);
  Scrape(port);  // 2: after

  const nlohmann::json parsed = ParseAll();
  ASSERT_EQ(parsed.size(), 3u);
  const nlohmann::json &before = parsed[0], &during = parsed[1],
                       &after = parsed[2];

  // Types as the parser read them (it drops counters' _total).
  EXPECT_EQ(after["families"]["fieldsync_mutations"], "counter");
  EXPECT_EQ(after["families"]["fieldsync_push_batch_duration_seconds"],
            "histogram");
  EXPECT_EQ(after["families"]["fieldsync_device_sync_lag_seconds"],
            "histogram");
  EXPECT_EQ(after["families"]["fieldsync_review_items_open"], "gauge");

  const std::string applied = "fieldsync_mutations_total{result=\"applied\"}";
  EXPECT_EQ(Sample(before, applied), 0);
  EXPECT_GT(Sample(during, applied), 0);
  EXPECT_LT(Sample(during, applied), 20);
  EXPECT_EQ(Sample(after, applied), 20);
  EXPECT_EQ(Sample(after, "fieldsync_mutations_total{result=\"duplicate\"}"),
            1);

  // While the push stream was open: its device connected.
  EXPECT_EQ(Sample(before, "fieldsync_connected_devices{}"), 0);
  EXPECT_EQ(Sample(during, "fieldsync_connected_devices{}"), 1);
  EXPECT_GE(Sample(during, "fieldsync_open_streams{}"), 1);

  EXPECT_EQ(Sample(before, "fieldsync_push_calls_total{}"), 0);
  EXPECT_EQ(Sample(after, "fieldsync_push_calls_total{}"), 2);
  EXPECT_EQ(Sample(after, "fieldsync_push_batch_duration_seconds_count{}"),
            batches + 1);
  EXPECT_EQ(Sample(after, "fieldsync_pull_calls_total{}"), 1);
  EXPECT_EQ(Sample(after, "fieldsync_pull_completed_total{}"), 1);
  EXPECT_EQ(Sample(after, "fieldsync_pull_pages_total{}"), pages);
  EXPECT_GT(Sample(after, "fieldsync_sync_received_bytes_total{rpc=\"push\"}"),
            20 * 200);
  EXPECT_GT(Sample(after, "fieldsync_sync_sent_bytes_total{rpc=\"pull\"}"), 0);
  EXPECT_GT(Sample(after, "fieldsync_group_commit_groups_total{}"),
            Sample(before, "fieldsync_group_commit_groups_total{}"));
  EXPECT_GE(Sample(after, "fieldsync_group_commit_mutations_sum{}"), 21);
  EXPECT_GT(Sample(after, "fieldsync_group_commit_duration_seconds_count{}"),
            0);
  // The tablet synced a moment ago: one device, within a minute.
  EXPECT_EQ(Sample(after, "fieldsync_device_sync_lag_seconds_count{}"), 1);
  EXPECT_EQ(
      Sample(after, "fieldsync_device_sync_lag_seconds_bucket{le=\"60\"}"), 1);
  EXPECT_EQ(Sample(after, "fieldsync_writes_refused{}"), 0);
  EXPECT_EQ(Sample(after, "fieldsync_review_items_open{}"), 0);
  EXPECT_GT(Sample(after, "fieldsync_rocksdb_block_cache_capacity_bytes{}"), 0);
  EXPECT_GE(Sample(after, "fieldsync_rocksdb_pending_compaction_bytes{}"), 0);
  EXPECT_GE(
      Sample(after, "fieldsync_rocksdb_write_stalls_total{kind=\"stop\"}"), 0);
  // Present; a fresh store reads its memtable, so both may still be 0.
  EXPECT_GE(Sample(after, "fieldsync_rocksdb_block_cache_hits_total{}"), 0);
  EXPECT_GE(Sample(after, "fieldsync_rocksdb_block_cache_misses_total{}"), 0);
  EXPECT_EQ(server.Stop(), 0) << server.process().err();
}

TEST_F(MetricsBinaryTest, RemoteAddressNeedsConsentAndEmptyTurnsItOff) {
  t::RunResult refused =
      t::Run({FS_SERVER_BINARY, "--plaintext", "--listen", "127.0.0.1:0",
              "--data-dir", dir_.Sub("data"), "--metrics-listen", "0.0.0.0:0"},
             {}, std::chrono::seconds(30));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("--metrics-listen 0.0.0.0:0"));
  EXPECT_THAT(refused.err, HasSubstr("--metrics-allow-remote"));
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("data")));  // nothing written

  t::ServerProcess allowed(dir_.Sub("data"), {"--metrics-listen", "0.0.0.0:0",
                                              "--metrics-allow-remote"});
  ASSERT_FALSE(allowed.address().empty()) << allowed.process().err();
  ASSERT_GT(allowed.metrics_port(), 0);
  absl::StatusOr<t::HttpAnswer> health =
      t::HttpGet(allowed.metrics_port(), "/healthz");
  ASSERT_OK(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(allowed.Stop(), 0);

  t::ServerProcess off(dir_.Sub("data"), {"--metrics-listen", ""});
  ASSERT_FALSE(off.address().empty()) << off.process().err();
  EXPECT_EQ(off.metrics_port(), 0);
  EXPECT_THAT(off.process().out(), HasSubstr("metrics off"));
  EXPECT_EQ(off.Stop(), 0);
}

// The port given is taken: the server refuses to start, naming it, before
// it touches the data folder.
TEST_F(MetricsBinaryTest, AMetricsPortInUseIsRefusedWhenGiven) {
  t::ServerProcess first(dir_.Sub("first"));
  ASSERT_GT(first.metrics_port(), 0);
  const std::string taken = absl::StrCat("127.0.0.1:", first.metrics_port());
  t::RunResult second =
      t::Run({FS_SERVER_BINARY, "--plaintext", "--listen", "127.0.0.1:0",
              "--data-dir", dir_.Sub("second"), "--metrics-listen", taken},
             {}, std::chrono::seconds(30));
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.err, HasSubstr("cannot serve metrics on " + taken));
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("second")));
}

}  // namespace
}  // namespace fieldsync
