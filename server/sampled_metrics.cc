#include "server/sampled_metrics.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "sync/review_bounds.h"

namespace fieldsync::server {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily One(std::string name, std::string help, MetricType type,
                 double value) {
  ClientMetric metric;
  if (type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return MetricFamily{.name = std::move(name),
                      .help = std::move(help),
                      .type = type,
                      .metric = {metric}};
}

MetricFamily Gauge(std::string name, std::string help, double value) {
  return One(std::move(name), std::move(help), MetricType::Gauge, value);
}

MetricFamily Counter(std::string name, std::string help, double value) {
  return One(std::move(name), std::move(help), MetricType::Counter, value);
}

void AddRocksDb(const RocksDbFigures& f, std::vector<MetricFamily>& out) {
  auto d = [](uint64_t v) { return static_cast<double>(v); };
  out.push_back(Gauge("fieldsync_rocksdb_pending_compaction_bytes",
                      "rocksdb.estimate-pending-compaction-bytes: how far "
                      "compaction is behind; RocksDB slows writes, then "
                      "stops them, as it grows.",
                      d(f.pending_compaction_bytes)));
  out.push_back(Gauge("fieldsync_rocksdb_live_data_bytes",
                      "rocksdb.estimate-live-data-size: the data itself.",
                      d(f.live_data_bytes)));
  out.push_back(Gauge("fieldsync_rocksdb_sst_files_bytes",
                      "rocksdb.total-sst-files-size: the table files on disk.",
                      d(f.sst_files_bytes)));
  MetricFamily stalls{.name = "fieldsync_rocksdb_write_stalls_total",
                      .help =
                          "Writes RocksDB slowed down or stopped for "
                          "flushes and compactions to catch up, since "
                          "the store opened.",
                      .type = MetricType::Counter};
  for (const auto& [kind, value] :
       {std::pair{"slowdown", f.write_slowdowns}, {"stop", f.write_stops}}) {
    ClientMetric m;
    m.label = {{.name = "kind", .value = kind}};
    m.counter.value = d(value);
    stalls.metric.push_back(std::move(m));
  }
  out.push_back(std::move(stalls));
  out.push_back(Counter("fieldsync_rocksdb_write_stall_seconds_total",
                        "Time writers waited on a write stall.",
                        d(f.write_stall_micros) / 1e6));
  out.push_back(Counter("fieldsync_rocksdb_block_cache_hits_total",
                        "Table block lookups the block cache answered.",
                        d(f.block_cache_hits)));
  out.push_back(Counter("fieldsync_rocksdb_block_cache_misses_total",
                        "Table block lookups that read (and decompressed) "
                        "from the files.",
                        d(f.block_cache_misses)));
  out.push_back(Gauge("fieldsync_rocksdb_block_cache_usage_bytes",
                      "Memory the block cache holds.",
                      d(f.block_cache_usage_bytes)));
  out.push_back(Gauge("fieldsync_rocksdb_block_cache_capacity_bytes",
                      "The block cache's size (--block-cache-mb).",
                      d(f.block_cache_capacity_bytes)));
}

MetricFamily LagHistogram(const SyncLagHistogram& lags) {
  ClientMetric metric;
  metric.histogram.sample_count = lags.count;
  metric.histogram.sample_sum = lags.sum_seconds;
  const std::vector<double>& bounds = SyncLagBuckets();
  for (size_t i = 0; i < bounds.size(); ++i) {
    metric.histogram.bucket.push_back(
        {.cumulative_count = lags.cumulative[i], .upper_bound = bounds[i]});
  }
  metric.histogram.bucket.push_back(
      {.cumulative_count = lags.count,
       .upper_bound = std::numeric_limits<double>::infinity()});
  return MetricFamily{
      .name = "fieldsync_device_sync_lag_seconds",
      .help =
          "How long ago each device last synced, of the devices that "
          "synced since the server started: a snapshot at each scrape, "
          "not a count of events (use histogram_quantile, not rate).",
      .type = MetricType::Histogram,
      .metric = {metric}};
}

}  // namespace

std::vector<MetricFamily> SampledMetrics::Collect() const {
  std::vector<MetricFamily> out;
  const int64_t now_micros = sources_.clock->NowMicros();
  if (sources_.store != nullptr) {
    AddRocksDb(sources_.store->Figures(), out);
    // A failed read leaves the queue's figures out of this scrape; the
    // scrape itself still answers.
    absl::StatusOr<OpenReviewSummary> reviews =
        SummarizeOpenReviews(*sources_.store);
    if (reviews.ok()) {
      out.push_back(Gauge("fieldsync_review_items_open",
                          "Review items (conflicts, amendments, deletes "
                          "against edits) waiting for a person.",
                          static_cast<double>(reviews->open)));
      const double age =
          reviews->oldest_server_time_micros == 0
              ? 0
              : std::max<double>(
                    0, static_cast<double>(now_micros -
                                           reviews->oldest_server_time_micros) /
                           1e6);
      out.push_back(Gauge("fieldsync_review_oldest_open_age_seconds",
                          "How long the oldest open review item has waited; "
                          "0 when none is open.",
                          age));
    }
  }
  if (sources_.replica != nullptr) {
    out.push_back(Gauge("fieldsync_writes_refused",
                        "1 once a write failed and the server refuses "
                        "every write until restarted (fail-stop), else 0.",
                        sources_.replica->write_failure().ok() ? 0 : 1));
    out.push_back(Gauge(
        "fieldsync_last_sequence", "The last server sequence written durably.",
        static_cast<double>(sources_.replica->last_sequence())));
  }
  if (sources_.streams != nullptr) {
    const OpenStreams::Counts counts = sources_.streams->Count();
    out.push_back(Gauge("fieldsync_open_streams",
                        "Push and pull streams open now.",
                        static_cast<double>(counts.streams)));
    out.push_back(Gauge("fieldsync_connected_devices",
                        "Devices with a push or pull stream open now.",
                        static_cast<double>(counts.devices)));
  }
  if (sources_.sync_times != nullptr) {
    out.push_back(LagHistogram(
        sources_.sync_times->Lags(absl::FromUnixMicros(now_micros))));
  }
  return out;
}

}  // namespace fieldsync::server
