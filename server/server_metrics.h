// The server's counters and histograms, kept as the events happen, in one
// prometheus-cpp registry that /metrics serves (server/metrics_listener.h).
// What is read at each scrape instead (RocksDB, the review queue, open
// streams, device lags) is in server/sampled_metrics.h. Names follow
// Prometheus' conventions (fieldsync_ prefix, _total for counters, base
// units); docs/operations.md "What to watch" lists each one.
// Thread-safe: prometheus-cpp's counters are atomic and its histograms lock
// per observation, so any thread records.
#ifndef FIELDSYNC_SERVER_SERVER_METRICS_H_
#define FIELDSYNC_SERVER_SERVER_METRICS_H_

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <cstddef>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "fieldsync/v1/sync.pb.h"
#include "server/device_sync_times.h"

namespace fieldsync::server {

class ServerMetrics {
 public:
  ServerMetrics();
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // What /metrics serves of these.
  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }
  // When each device last synced, for the lag histogram of the scrape.
  DeviceSyncTimes& sync_times() { return sync_times_; }

  // An authenticated push stream opened.
  void PushStreamOpened();
  // The results of one push batch, by outcome.
  void MutationResults(const v1::PushResponse& applied);
  // One push batch answered `took` after it arrived: `ok` once durable (the
  // device's sync time), else the stream failed with it.
  void PushBatchAnswered(const std::string& device_id, absl::Duration took,
                         size_t request_bytes, size_t answer_bytes, bool ok);
  // An authenticated pull began with a request of `request_bytes`.
  void PullStarted(size_t request_bytes);
  // One pull page of `bytes` went out.
  void PullPageSent(size_t bytes);
  // A pull ended `took` after it began; `complete` if it sent its last
  // page, which counts as the device's sync.
  void PullEnded(const std::string& device_id, absl::Duration took,
                 bool complete);

  // The writer merged a group of `batches` push batches holding
  // `mutations` (server/group_commit.h).
  void GroupMerged(size_t batches, size_t mutations);
  // The writer wrote `groups` merged groups with one fsync in `took`.
  void GroupsCommitted(size_t groups, absl::Duration took, bool ok);

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  DeviceSyncTimes sync_times_;
  prometheus::Counter* push_calls_;
  prometheus::Counter* pull_calls_;
  prometheus::Counter* pull_complete_;
  prometheus::Counter* pull_pages_;
  prometheus::Histogram* push_batch_seconds_;
  prometheus::Histogram* pull_seconds_;
  prometheus::Counter* push_bytes_in_;
  prometheus::Counter* push_bytes_out_;
  prometheus::Counter* pull_bytes_in_;
  prometheus::Counter* pull_bytes_out_;
  // By v1::MutationOutcome, the unspecified zero unused.
  std::array<prometheus::Counter*, v1::MutationOutcome_ARRAYSIZE> mutations_{};
  prometheus::Histogram* group_batches_;
  prometheus::Histogram* group_mutations_;
  prometheus::Histogram* commit_seconds_;
  prometheus::Counter* commit_groups_;
  prometheus::Counter* commit_failures_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_SERVER_METRICS_H_
