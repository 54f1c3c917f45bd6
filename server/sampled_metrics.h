// The figures /metrics reads at each scrape rather than counts as they
// happen: RocksDB's (sync/rocksdb_store.h), the review queue's size and
// age (sync/review_bounds.h), the streams and devices connected, the lag
// of each device's last sync as a histogram, and whether the writer has
// stopped after a failed write. Each scrape's work is bounded: a few
// in-memory properties per column family, one key per device with review
// items open plus one index entry, one pass over the open streams and one
// over the devices that synced.
// Thread-safe; Collect() runs on the metrics listener's threads.
#ifndef FIELDSYNC_SERVER_SAMPLED_METRICS_H_
#define FIELDSYNC_SERVER_SAMPLED_METRICS_H_

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <vector>

#include "server/device_sync_times.h"
#include "server/open_streams.h"
#include "sync/clock.h"
#include "sync/rocksdb_store.h"
#include "sync/server_replica.h"

namespace fieldsync::server {

struct SampledMetricsSources {
  // Each may be null (its figures are then left out); all must outlive
  // the collector's registration with the listener.
  RocksDbStore* store = nullptr;
  ServerReplica* replica = nullptr;
  const OpenStreams* streams = nullptr;
  const DeviceSyncTimes* sync_times = nullptr;
  ClockSource* clock = nullptr;  // required
};

class SampledMetrics : public prometheus::Collectable {
 public:
  explicit SampledMetrics(SampledMetricsSources sources) : sources_(sources) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  SampledMetricsSources sources_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_SAMPLED_METRICS_H_
