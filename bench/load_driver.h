// Drives pushes from many devices at once, one thread and one connection
// per device, the way fieldsync_bench's workloads load a server: every
// device pushes batches of new reports of the commune xa-tan-phu-dong.
#ifndef FIELDSYNC_BENCH_LOAD_DRIVER_H_
#define FIELDSYNC_BENCH_LOAD_DRIVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/report_workload.h"
#include "fieldsync/v1/sync.pb.h"

namespace fieldsync::bench {

// The commune every workload's reports belong to, and its pull scope.
inline constexpr char kCommuneScope[] = "commune/xa-tan-phu-dong";

// New-report mutations of one device: "report/<device>-<8-digit seq>",
// five fields each (NewReportMutations), made now by the device's clock.
class DeviceReports {
 public:
  explicit DeviceReports(std::string device_id);
  const std::string& device_id() const { return device_id_; }
  // Mutations first_seq .. first_seq + count - 1.
  std::vector<v1::Mutation> Batch(uint64_t first_seq, int count) const;

 private:
  std::string device_id_;
  NewReportMutations reports_;
  int64_t device_time_micros_;
};

// One device's connection: pushes one batch on one Push stream and returns
// how many of its mutations were stored, and the highest server sequence
// the results name (0 if they name none).
class BatchPusher {
 public:
  struct Answer {
    int stored = 0;
    uint64_t last_sequence = 0;
  };
  virtual ~BatchPusher() = default;
  virtual absl::StatusOr<Answer> Push(
      const std::vector<v1::Mutation>& batch) = 0;
};

// Makes the pusher of device `device_id`.
using PusherFactory =
    std::function<std::unique_ptr<BatchPusher>(const std::string& device_id)>;

// A pusher to fieldsync-server through client::SyncClient (dev header
// identity); counts APPLIED results as stored.
std::unique_ptr<BatchPusher> SyncClientPusher(const std::string& target,
                                              const std::string& device_id);

struct LoadSpec {
  int devices = 1;
  int batches_per_device = 1;
  int batch_size = kBatchSize;
  // Device ids are "<device_prefix>-<NN>".
  std::string device_prefix = "tablet";
  // The first mutation_seq each device pushes (1 for a new device).
  uint64_t first_seq = 1;
};

struct LoadResult {
  int64_t mutations = 0;       // pushed
  int64_t stored = 0;          // reported stored by the server
  int64_t payload_bytes = 0;   // serialized mutations
  double seconds = 0;          // wall clock, first push to last answer
  uint64_t last_sequence = 0;  // highest server sequence seen
  // CPU time the server used for the load, where it is a process of its
  // own (fieldsync-server); 0 where it is not known.
  double server_cpu_seconds = 0;
  double per_second() const { return seconds > 0 ? mutations / seconds : 0; }
};

// Each device's batches are built before the clock starts (the tablet had
// them queued); then all devices push at once, each its batches in order,
// one after the other. Fails on the first error.
absl::StatusOr<LoadResult> RunLoad(const LoadSpec& spec,
                                   const PusherFactory& pusher);

}  // namespace fieldsync::bench

#endif  // FIELDSYNC_BENCH_LOAD_DRIVER_H_
