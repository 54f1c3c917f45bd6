#include "server/device_sync_times.h"

#include <algorithm>

namespace fieldsync::server {

const std::vector<double>& SyncLagBuckets() {
  // Tablets sync whenever a link appears: minutes when one is up, days in
  // the field. A week unseen is worth a call to the commune.
  static const auto* b = new std::vector<double>{
      60,     300,        900,        3600,       6 * 3600,
      86'400, 3 * 86'400, 7 * 86'400, 30 * 86'400};
  return *b;
}

void DeviceSyncTimes::Synced(const std::string& device_id, absl::Time when) {
  absl::MutexLock lock(&mu_);
  auto it = last_.find(device_id);
  if (it != last_.end()) {
    it->second = std::max(it->second, when);
    return;
  }
  if (last_.size() >= kMaxTrackedDevices) {
    ++untracked_;
    return;
  }
  last_.emplace(device_id, when);
}

void DeviceSyncTimes::Forget(const std::string& device_id) {
  absl::MutexLock lock(&mu_);
  last_.erase(device_id);
}

SyncLagHistogram DeviceSyncTimes::Lags(absl::Time now) const {
  const std::vector<double>& bounds = SyncLagBuckets();
  SyncLagHistogram h;
  h.cumulative.assign(bounds.size(), 0);
  absl::MutexLock lock(&mu_);
  for (const auto& [device, when] : last_) {
    const double lag = std::max(0.0, absl::ToDoubleSeconds(now - when));
    ++h.count;
    h.sum_seconds += lag;
    // The first bucket it fits; every later one counts it too.
    auto first = std::lower_bound(bounds.begin(), bounds.end(), lag);
    for (auto b = first; b != bounds.end(); ++b) {
      ++h.cumulative[static_cast<size_t>(b - bounds.begin())];
    }
  }
  return h;
}

uint64_t DeviceSyncTimes::untracked() const {
  absl::MutexLock lock(&mu_);
  return untracked_;
}

}  // namespace fieldsync::server
