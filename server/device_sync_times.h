// When each device last synced (a push batch answered, or a pull that sent
// its last page), for the histogram of device sync lags that /metrics
// serves: how long ago each device synced, counted in buckets, so the
// series stay the same few however many tablets there are (one label per
// device would make a series per tablet). Kept in memory since the server
// started: a device that has not synced since is not in it, so after a
// restart the histogram fills again as the tablets come back.
// Thread-safe.
#ifndef FIELDSYNC_SERVER_DEVICE_SYNC_TIMES_H_
#define FIELDSYNC_SERVER_DEVICE_SYNC_TIMES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace fieldsync::server {

// Devices tracked at most: past it a new device is not tracked (counted
// in `untracked`), so a development server, where any caller may name any
// device, cannot grow the map without bound. A province has thousands.
inline constexpr size_t kMaxTrackedDevices = 100'000;

// Upper bounds of the lag buckets, in seconds: a minute to a month.
const std::vector<double>& SyncLagBuckets();

// How long ago the tracked devices synced, as a cumulative histogram.
struct SyncLagHistogram {
  std::vector<uint64_t> cumulative;  // per SyncLagBuckets() bound
  uint64_t count = 0;                // every device, +Inf included
  double sum_seconds = 0;
};

class DeviceSyncTimes {
 public:
  // `device_id` synced at `when`.
  void Synced(const std::string& device_id, absl::Time when)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Stops tracking a device (revoked).
  void Forget(const std::string& device_id) ABSL_LOCKS_EXCLUDED(mu_);

  // The lags at `now`, a lag below zero counted as zero. O(devices).
  SyncLagHistogram Lags(absl::Time now) const ABSL_LOCKS_EXCLUDED(mu_);
  // Devices that synced once the map was full, not tracked.
  uint64_t untracked() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, absl::Time> last_ ABSL_GUARDED_BY(mu_);
  uint64_t untracked_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_DEVICE_SYNC_TIMES_H_
