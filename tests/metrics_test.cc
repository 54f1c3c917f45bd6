// The metrics' pieces (server/server_metrics.h, device_sync_times.h,
// sampled_metrics.h, metrics_listener.h and the review queue's summary in
// sync/review_bounds.h): what each counts, that the lag histogram stays
// a histogram however many devices there are, and that the listener
// answers /metrics, /healthz and /readyz over real HTTP on loopback only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "absl/time/time.h"
#include "server/device_sync_times.h"
#include "server/metrics_listener.h"
#include "server/sampled_metrics.h"
#include "server/server_metrics.h"
#include "sync/keys.h"
#include "sync/memory_store.h"
#include "sync/review_bounds.h"
#include "sync/rocksdb_store.h"
#include "tests/support/http_get.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Text(const prometheus::Collectable& c) {
  return prometheus::TextSerializer().Serialize(c.Collect());
}

class FixedClock : public ClockSource {
 public:
  explicit FixedClock(int64_t micros) : micros_(micros) {}
  int64_t NowMicros() override { return micros_; }

 private:
  int64_t micros_;
};

TEST(DeviceSyncTimesTest, LagsFallInTheirBucketsAndEveryLaterOne) {
  DeviceSyncTimes times;
  const absl::Time now = absl::FromUnixSeconds(1'000'000);
  times.Synced("a", now - absl::Seconds(30));     // <= 60
  times.Synced("b", now - absl::Seconds(600));    // <= 900
  times.Synced("c", now - absl::Hours(24 * 40));  // past a month: +Inf only
  times.Synced("b", now - absl::Seconds(10));     // newer: <= 60
  times.Synced("b", now - absl::Hours(1));        // older: ignored
  SyncLagHistogram h = times.Lags(now);
  ASSERT_EQ(h.cumulative.size(), SyncLagBuckets().size());
  EXPECT_EQ(h.count, 3u);
  EXPECT_EQ(h.cumulative.front(), 2u);  // a, b within a minute
  EXPECT_EQ(h.cumulative.back(), 2u);   // c is beyond the last bound
  EXPECT_DOUBLE_EQ(h.sum_seconds, 30 + 10 + 40 * 86'400);
  times.Forget("c");
  EXPECT_EQ(times.Lags(now).count, 2u);
}

TEST(DeviceSyncTimesTest, ManyDevicesStillMakeOneSeries) {
  DeviceSyncTimes times;
  const absl::Time now = absl::FromUnixSeconds(1'000'000);
  for (int i = 0; i < 5000; ++i) {
    times.Synced("device-" + std::to_string(i), now - absl::Seconds(i * 60));
  }
  FixedClock clock(absl::ToUnixMicros(now));
  SampledMetrics sampled({.sync_times = &times, .clock = &clock});
  const std::string text = Text(sampled);
  EXPECT_THAT(text, Not(HasSubstr("device-")));
  EXPECT_THAT(text, HasSubstr("fieldsync_device_sync_lag_seconds_count 5000"));
  EXPECT_THAT(
      text, HasSubstr("fieldsync_device_sync_lag_seconds_bucket{le=\"60\"} 2"));
}

TEST(ServerMetricsTest, CountsResultsBytesAndGroups) {
  ServerMetrics metrics;
  v1::PushResponse applied;
  for (v1::MutationOutcome o :
       {v1::MUTATION_OUTCOME_APPLIED, v1::MUTATION_OUTCOME_APPLIED,
        v1::MUTATION_OUTCOME_CONFLICT, v1::MUTATION_OUTCOME_DUPLICATE}) {
    applied.add_results()->set_outcome(o);
  }
  metrics.PushStreamOpened();
  metrics.MutationResults(applied);
  metrics.PushBatchAnswered("tablet-1", absl::Milliseconds(3), 1000, 200, true);
  metrics.PullStarted(40);
  metrics.PullPageSent(5000);
  metrics.PullEnded("tablet-1", absl::Seconds(2), true);
  metrics.GroupMerged(3, 12);
  metrics.GroupsCommitted(2, absl::Milliseconds(4), true);
  const std::string text = Text(*metrics.registry());
  for (const char* line : {
           "fieldsync_push_calls_total 1",
           "fieldsync_mutations_total{result=\"applied\"} 2",
           "fieldsync_mutations_total{result=\"conflict\"} 1",
           "fieldsync_mutations_total{result=\"duplicate\"} 1",
           "fieldsync_mutations_total{result=\"merged\"} 0",
           "fieldsync_mutations_total{result=\"rejected\"} 0",
           "fieldsync_mutations_total{result=\"amendment\"} 0",
           "fieldsync_sync_received_bytes_total{rpc=\"push\"} 1000",
           "fieldsync_sync_sent_bytes_total{rpc=\"push\"} 200",
           "fieldsync_sync_received_bytes_total{rpc=\"pull\"} 40",
           "fieldsync_sync_sent_bytes_total{rpc=\"pull\"} 5000",
           "fieldsync_pull_calls_total 1",
           "fieldsync_pull_completed_total 1",
           "fieldsync_push_batch_duration_seconds_count 1",
           "fieldsync_pull_duration_seconds_count 1",
           "fieldsync_group_commit_batches_sum 3",
           "fieldsync_group_commit_mutations_sum 12",
           "fieldsync_group_commit_groups_total 2",
           "fieldsync_group_commit_duration_seconds_count 1",
           "fieldsync_group_commit_failures_total 0",
       }) {
    EXPECT_THAT(text, HasSubstr(std::string("\n") + line + "\n")) << line;
  }
  EXPECT_EQ(metrics.sync_times().Lags(absl::Now()).count, 1u);
}

std::string Count(uint64_t n) {
  std::string bytes;
  AppendBigEndian64(bytes, n);
  return bytes;
}

v1::ConflictRecord OpenItem(uint64_t id, int64_t micros) {
  v1::ConflictRecord record;
  record.set_id(id);
  record.set_server_time_micros(micros);
  record.add_scopes("province");
  record.add_scopes("commune/x");
  return record;
}

TEST(OpenReviewSummaryTest, ReadsTheCountsAndTheOldestIndexEntry) {
  MemoryStore store;
  auto none_or = SummarizeOpenReviews(store);
  ASSERT_OK(none_or);
  OpenReviewSummary none = *std::move(none_or);
  EXPECT_EQ(none.open, 0u);
  EXPECT_EQ(none.oldest_server_time_micros, 0);
  WriteSet writes;
  writes.PutMeta(OpenReviewsOfDeviceKey("a"), Count(2));
  writes.PutMeta(OpenReviewsOfDeviceKey("b"), Count(1));
  // Per-document counts count the same items again: not added.
  writes.PutMeta(OpenReviewsOfDocKey("report/1"), Count(3));
  IndexOpenReview(OpenItem(9, 9'000'000), writes);
  IndexOpenReview(OpenItem(4, 4'000'000), writes);
  IndexOpenReview(OpenItem(7, 7'000'000), writes);
  ASSERT_OK(store.Apply(writes));
  auto summary_or = SummarizeOpenReviews(store);
  ASSERT_OK(summary_or);
  OpenReviewSummary summary = *std::move(summary_or);
  EXPECT_EQ(summary.open, 3u);
  EXPECT_EQ(summary.oldest_server_time_micros, 4'000'000);

  FixedClock clock(10'000'000);
  SampledMetrics sampled({.store = nullptr, .clock = &clock});
  EXPECT_THAT(Text(sampled), Not(HasSubstr("fieldsync_review")));
}

TEST(SampledMetricsTest, ReadsRocksDbReviewsAndWriter) {
  testing::TempDir dir;
  auto store_or = RocksDbStore::Open(
      dir.Sub("db"), {.block_cache_bytes = 8 << 20, .statistics = true});
  ASSERT_OK(store_or);
  std::unique_ptr<RocksDbStore> store = *std::move(store_or);
  WriteSet writes;
  writes.PutMeta(OpenReviewsOfDeviceKey("a"), Count(1));
  IndexOpenReview(OpenItem(1, 1'000'000), writes);
  ASSERT_OK(store->Apply(writes));
  FixedClock clock(61'000'000);
  SampledMetrics sampled({.store = store.get(), .clock = &clock});
  const std::string text = Text(sampled);
  for (const char* line : {
           "fieldsync_review_items_open 1",
           "fieldsync_review_oldest_open_age_seconds 60",
           "fieldsync_rocksdb_write_stalls_total{kind=\"stop\"} 0",
           "fieldsync_rocksdb_block_cache_capacity_bytes 8388608",
       }) {
    EXPECT_THAT(text, HasSubstr(std::string("\n") + line + "\n")) << line;
  }
  for (const char* name : {"fieldsync_rocksdb_pending_compaction_bytes",
                           "fieldsync_rocksdb_live_data_bytes",
                           "fieldsync_rocksdb_write_stall_seconds_total",
                           "fieldsync_rocksdb_block_cache_hits_total",
                           "fieldsync_rocksdb_block_cache_misses_total"}) {
    EXPECT_THAT(text, HasSubstr(std::string("# TYPE ") + name)) << name;
  }
}

TEST(MetricsAddressTest, LoopbackOnlyUnlessAllowedAndEmptyIsOff) {
  auto off_or = MetricsAddress("", false);
  ASSERT_OK(off_or);
  auto off = *std::move(off_or);
  EXPECT_FALSE(off.has_value());
  auto local_or = MetricsAddress("127.0.0.1:9464", false);
  ASSERT_OK(local_or);
  auto local = *std::move(local_or);
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(local->port, 9464);
  absl::StatusOr<std::optional<ListenAddress>> remote =
      MetricsAddress("0.0.0.0:9464", false);
  EXPECT_EQ(remote.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(remote.status().message()),
              HasSubstr("--metrics-allow-remote"));
  EXPECT_OK(MetricsAddress("0.0.0.0:9464", true));
  EXPECT_EQ(MetricsAddress("nowhere", false).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MetricsListenerTest, ServesMetricsHealthAndReadinessOverHttp) {
  auto listener_or = MetricsListener::Start({.host = "127.0.0.1", .port = 0});
  ASSERT_OK(listener_or);
  std::unique_ptr<MetricsListener> listener = *std::move(listener_or);
  ASSERT_GT(listener->port(), 0);
  ServerMetrics metrics;
  MetricsListener::Registration served = listener->Add(metrics.registry());
  metrics.PushStreamOpened();

  auto scraped_or = testing::HttpGet(listener->port(), "/metrics");
  ASSERT_OK(scraped_or);
  testing::HttpAnswer scraped = *std::move(scraped_or);
  EXPECT_EQ(scraped.status, 200);
  EXPECT_THAT(scraped.headers, HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(scraped.body, HasSubstr("\nfieldsync_push_calls_total 1\n"));

  auto health_or = testing::HttpGet(listener->port(), "/healthz");
  ASSERT_OK(health_or);
  testing::HttpAnswer health = *std::move(health_or);
  EXPECT_EQ(health.status, 200);
  auto starting_or = testing::HttpGet(listener->port(), "/readyz");
  ASSERT_OK(starting_or);
  testing::HttpAnswer starting = *std::move(starting_or);
  EXPECT_EQ(starting.status, 503);
  EXPECT_THAT(starting.body, HasSubstr("starting"));
  listener->SetReadiness([] { return absl::OkStatus(); });
  auto ready_or = testing::HttpGet(listener->port(), "/readyz");
  ASSERT_OK(ready_or);
  testing::HttpAnswer ready = *std::move(ready_or);
  EXPECT_EQ(ready.status, 200);
  listener->ClearReadiness("shutting down");
  auto stopping_or = testing::HttpGet(listener->port(), "/readyz");
  ASSERT_OK(stopping_or);
  testing::HttpAnswer stopping = *std::move(stopping_or);
  EXPECT_EQ(stopping.status, 503);
  EXPECT_THAT(stopping.body, HasSubstr("shutting down"));

  // Unregistered: its figures are gone from the next scrape.
  served = MetricsListener::Registration();
  auto after_or = testing::HttpGet(listener->port(), "/metrics");
  ASSERT_OK(after_or);
  testing::HttpAnswer after = *std::move(after_or);
  EXPECT_THAT(after.body, Not(HasSubstr("fieldsync_push_calls_total")));
}

TEST(MetricsListenerTest, APortInUseIsRefusedNamingIt) {
  auto first_or = MetricsListener::Start({.host = "127.0.0.1", .port = 0});
  ASSERT_OK(first_or);
  std::unique_ptr<MetricsListener> first = *std::move(first_or);
  absl::StatusOr<std::unique_ptr<MetricsListener>> second =
      MetricsListener::Start({.host = "127.0.0.1", .port = first->port()});
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(std::string(second.status().message()),
              HasSubstr("cannot serve metrics on 127.0.0.1:" +
                        std::to_string(first->port())));
}

}  // namespace
}  // namespace fieldsync::server
