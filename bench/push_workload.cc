// push: fieldsync-server against the lean ingest ceiling, same tool, same
// run, same devices and batches, in alternating rounds.
#include <algorithm>
#include <cstdio>
#include <vector>

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
// A single pair of runs on two shared cores moves by +-10% from one to the
// next (mostly the ceiling's); the median of five alternating rounds moves
// far less.
constexpr int kFullRounds = 5;

void PrintLoad(const char* name, const LoadResult& r) {
  std::printf(
      "    %-22s %8lld mutations in %7.3f s = %9.0f mutations/s "
      "(%.1f MB/s of mutation payload)",
      name, static_cast<long long>(r.mutations), r.seconds, r.per_second(),
      r.payload_bytes / r.seconds / 1e6);
  if (r.server_cpu_seconds > 0) {
    std::printf("; server CPU %.1f us per mutation",
                1e6 * r.server_cpu_seconds / static_cast<double>(r.mutations));
  }
  std::printf("\n");
}

// fieldsync-server, default durability (sync: acknowledged once fsynced),
// fresh data folder.
absl::StatusOr<LoadResult> PushToServer(const BenchConfig& config,
                                        const LoadSpec& spec) {
  BenchDir dir;
  absl::StatusOr<ServerLauncher> server =
      ServerLauncher::Start(config.server_binary, dir.Sub("server"));
  if (!server.ok()) return server.status();
  const std::string target = server->address();
  // The CPU of the load alone, not of start-up (which loads the catalogue).
  const double cpu_before = server->CpuSeconds();
  absl::StatusOr<LoadResult> r = RunLoad(spec, [&](const std::string& device) {
    return SyncClientPusher(target, device);
  });
  const double cpu_after = server->CpuSeconds();
  server->Stop();
  if (r.ok() && cpu_before >= 0 && cpu_after >= 0) {
    r->server_cpu_seconds = cpu_after - cpu_before;
  }
  return r;
}

// The ceiling, in this process, on a fresh database.
absl::StatusOr<LoadResult> PushToCeiling(const LoadSpec& spec) {
  BenchDir dir;
  absl::StatusOr<std::unique_ptr<CeilingServer>> ceiling =
      CeilingServer::Start(dir.Sub("ceiling"));
  if (!ceiling.ok()) return ceiling.status();
  const std::string target = (*ceiling)->address();
  return RunLoad(spec,
                 [&](const std::string&) { return CeilingPusher(target); });
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

absl::StatusOr<bool> RunPush(const BenchConfig& config) {
  LoadSpec spec;
  spec.devices = kPushDevices;
  spec.batches_per_device = config.full ? kFullBatchesPerDevice : 1;
  const int rounds = config.push_rounds > 0 ? config.push_rounds
                     : config.full          ? kFullRounds
                                            : 1;
  std::printf(
      "push: %d devices at once, each %d batch(es) of %d new reports; %d "
      "round(s) of server then ceiling\n",
      spec.devices, spec.batches_per_device, spec.batch_size, rounds);

  std::vector<double> server_rates, ceiling_rates, ratios;
  for (int round = 1; round <= rounds; ++round) {
    absl::StatusOr<LoadResult> server = PushToServer(config, spec);
    if (!server.ok()) return server.status();
    absl::StatusOr<LoadResult> ceiling = PushToCeiling(spec);
    if (!ceiling.ok()) return ceiling.status();
    const double ratio = server->per_second() / ceiling->per_second();
    std::printf("  round %d: push/ceiling = %.1f%%\n", round, 100 * ratio);
    PrintLoad("fieldsync-server sync", *server);
    PrintLoad("ingest ceiling", *ceiling);
    server_rates.push_back(server->per_second());
    ceiling_rates.push_back(ceiling->per_second());
    ratios.push_back(ratio);
  }
  const double ratio = Median(ratios);
  const bool met = ratio >= 0.5;
  std::printf(
      "  median of %d round(s): fieldsync-server %.0f, ceiling %.0f "
      "mutations/s; push/ceiling = %.1f%% (lowest %.1f%%, highest %.1f%%; "
      "target >= 50%%: %s)\n",
      rounds, Median(server_rates), Median(ceiling_rates), 100 * ratio,
      100 * *std::min_element(ratios.begin(), ratios.end()),
      100 * *std::max_element(ratios.begin(), ratios.end()),
      met ? "met" : "NOT met");
  return met;
}

}  // namespace fieldsync::bench
