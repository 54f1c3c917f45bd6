#include "bench/load_driver.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <latch>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "client-sdk/sync_client.h"
#include "sync/tuning.h"

namespace fieldsync::bench {
namespace {

using Clock = std::chrono::steady_clock;

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SyncClientBatchPusher : public BatchPusher {
 public:
  // A 500-mutation batch of new reports is about 175 KB: let it go whole
  // (the server's limit; it also advertises it).
  static client::SyncClientOptions Options(const std::string& target,
                                           const std::string& device) {
    client::SyncClientOptions options;
    options.target = target;
    options.device_id = device;
    options.timeout = std::chrono::minutes(5);
    options.max_batch_bytes = tuning::kMaxBatchBytes;
    return options;
  }

  SyncClientBatchPusher(const std::string& target, const std::string& device)
      : client_(Options(target, device)) {}

  absl::StatusOr<Answer> Push(const std::vector<v1::Mutation>& batch) override {
    absl::StatusOr<std::vector<v1::MutationResult>> results =
        client_.Push(batch);
    if (!results.ok()) return results.status();
    Answer answer;
    for (const v1::MutationResult& r : *results) {
      if (r.outcome() == v1::MUTATION_OUTCOME_APPLIED) ++answer.stored;
      answer.last_sequence = std::max(answer.last_sequence, r.sequence());
    }
    if (answer.stored != static_cast<int>(batch.size())) {
      const v1::MutationResult& first = results->front();
      return absl::InternalError(
          absl::StrCat(answer.stored, " of ", batch.size(),
                       " mutations applied; the first result: outcome ",
                       static_cast<int>(first.outcome()), " ", first.reason()));
    }
    return answer;
  }

 private:
  client::SyncClient client_;
};

}  // namespace

DeviceReports::DeviceReports(std::string device_id)
    : device_id_(std::move(device_id)),
      reports_(std::hash<std::string>{}(device_id_)),
      // An hour ago: edited in the field, synced later.
      device_time_micros_(NowMicros() - 3600LL * 1'000'000) {}

std::vector<v1::Mutation> DeviceReports::Batch(uint64_t first_seq,
                                               int count) const {
  std::vector<v1::Mutation> batch = reports_.Batch(first_seq, count);
  for (v1::Mutation& m : batch) {
    m.set_device_id(device_id_);
    m.set_key(absl::StrFormat("report/%s-%08d", device_id_, m.mutation_seq()));
    m.set_device_time_micros(device_time_micros_);
  }
  return batch;
}

std::unique_ptr<BatchPusher> SyncClientPusher(const std::string& target,
                                              const std::string& device_id) {
  return std::make_unique<SyncClientBatchPusher>(target, device_id);
}

absl::StatusOr<LoadResult> RunLoad(const LoadSpec& spec,
                                   const PusherFactory& pusher) {
  absl::Mutex mu;
  LoadResult total;
  absl::Status failure;
  Clock::time_point first_start = Clock::time_point::max();
  Clock::time_point last_end = Clock::time_point::min();
  std::latch ready(spec.devices);
  std::vector<std::thread> threads;
  for (int d = 0; d < spec.devices; ++d) {
    threads.emplace_back([&, d] {
      DeviceReports reports(absl::StrFormat("%s-%02d", spec.device_prefix, d));
      std::unique_ptr<BatchPusher> connection = pusher(reports.device_id());
      std::vector<std::vector<v1::Mutation>> batches;
      LoadResult mine;
      for (int b = 0; b < spec.batches_per_device; ++b) {
        batches.push_back(reports.Batch(
            spec.first_seq + static_cast<uint64_t>(b) * spec.batch_size,
            spec.batch_size));
        mine.mutations += spec.batch_size;
        mine.payload_bytes += PayloadBytes(batches.back());
      }
      ready.arrive_and_wait();
      const Clock::time_point start = Clock::now();
      absl::Status status;
      for (const std::vector<v1::Mutation>& batch : batches) {
        absl::StatusOr<BatchPusher::Answer> answer = connection->Push(batch);
        if (!answer.ok()) {
          status = answer.status();
          break;
        }
        mine.stored += answer->stored;
        mine.last_sequence =
            std::max(mine.last_sequence, answer->last_sequence);
      }
      const Clock::time_point end = Clock::now();
      absl::MutexLock lock(&mu);
      if (!status.ok() && failure.ok()) {
        failure = absl::Status(status.code(),
                               absl::StrCat(reports.device_id(), ": ",
                                            std::string(status.message())));
      }
      total.mutations += mine.mutations;
      total.stored += mine.stored;
      total.payload_bytes += mine.payload_bytes;
      total.last_sequence = std::max(total.last_sequence, mine.last_sequence);
      first_start = std::min(first_start, start);
      last_end = std::max(last_end, end);
    });
  }
  for (std::thread& t : threads) t.join();
  if (!failure.ok()) return failure;
  total.seconds = std::chrono::duration<double>(last_end - first_start).count();
  return total;
}

}  // namespace fieldsync::bench
