// push: fieldsync-server against the lean ingest ceiling, same tool, same
// run, same devices and batches.
#include <cstdio>

#include "bench/ceiling_client.h"
#include "bench/ceiling_server.h"
#include "bench/load_driver.h"
#include "bench/workloads.h"

namespace fieldsync::bench {
namespace {

constexpr int kPushDevices = 64;
// Batches each device pushes: 64 x 8 x 500 = 256,000 mutations (full), a
// few seconds of load at either end; the small run pushes one each.
constexpr int kFullBatchesPerDevice = 8;

void PrintLoad(const char* name, const LoadResult& r) {
  std::printf(
      "  %-22s %8lld mutations in %7.3f s = %9.0f mutations/s "
      "(%.1f MB/s of mutation payload)\n",
      name, static_cast<long long>(r.mutations), r.seconds, r.per_second(),
      r.payload_bytes / r.seconds / 1e6);
}

}  // namespace

absl::StatusOr<bool> RunPush(const BenchConfig& config) {
  LoadSpec spec;
  spec.devices = kPushDevices;
  spec.batches_per_device = config.full ? kFullBatchesPerDevice : 1;
  std::printf("push: %d devices at once, each %d batch(es) of %d new reports\n",
              spec.devices, spec.batches_per_device, spec.batch_size);

  // fieldsync-server, default durability (sync: acknowledged once fsynced).
  LoadResult server_result;
  {
    BenchDir dir;
    absl::StatusOr<ServerLauncher> server =
        ServerLauncher::Start(config.server_binary, dir.Sub("server"));
    if (!server.ok()) return server.status();
    const std::string target = server->address();
    absl::StatusOr<LoadResult> r =
        RunLoad(spec, [&](const std::string& device) {
          return SyncClientPusher(target, device);
        });
    if (!r.ok()) return r.status();
    server_result = *r;
    server->Stop();
  }
  // The ceiling, in this process, on a fresh database.
  LoadResult ceiling_result;
  {
    BenchDir dir;
    absl::StatusOr<std::unique_ptr<CeilingServer>> ceiling =
        CeilingServer::Start(dir.Sub("ceiling"));
    if (!ceiling.ok()) return ceiling.status();
    const std::string target = (*ceiling)->address();
    absl::StatusOr<LoadResult> r = RunLoad(
        spec, [&](const std::string&) { return CeilingPusher(target); });
    if (!r.ok()) return r.status();
    ceiling_result = *r;
  }
  PrintLoad("fieldsync-server sync", server_result);
  PrintLoad("ingest ceiling", ceiling_result);
  const double ratio = server_result.per_second() / ceiling_result.per_second();
  const bool met = ratio >= 0.5;
  std::printf("  push/ceiling = %.1f%% (target >= 50%%: %s)\n", 100 * ratio,
              met ? "met" : "NOT met");
  return met;
}

}  // namespace fieldsync::bench
