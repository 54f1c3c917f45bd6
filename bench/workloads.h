// The named workloads of fieldsync_bench (STYLE.md 13), each against the
// real fieldsync-server on loopback. Each prints what it measured and
// returns whether the target is met (true when it has none).
#ifndef FIELDSYNC_BENCH_WORKLOADS_H_
#define FIELDSYNC_BENCH_WORKLOADS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "bench/bench_dir.h"
#include "bench/server_launcher.h"

namespace fieldsync::bench {

struct BenchConfig {
  std::string server_binary;
  // false: the "small" smoke run, each size about 10x smaller.
  bool full = true;
  // push: rounds of (fieldsync-server, ceiling), run alternately; the
  // target is judged on the median round. 0: 5 at full scale, 1 small.
  int push_rounds = 0;
};

// push: 64 devices at once, batches of 500 new reports, against the
// default durability (sync), and against the lean ingest ceiling
// (ceiling_server.h) in the same run, in alternating rounds so that the
// machine's drift falls on both alike. Target: the median round's push is
// >= 50% of its ceiling.
absl::StatusOr<bool> RunPush(const BenchConfig& config);

// A server holding one commune of `documents` reports, shared by the pull
// and resume workloads.
struct LoadedServer {
  std::unique_ptr<BenchDir> dir;
  std::unique_ptr<ServerLauncher> server;
  int documents = 0;  // in the commune's scope: the ones loaded and seeded
};
absl::StatusOr<LoadedServer> LoadCommune(const BenchConfig& config);

// pull: a new device's first pull of the commune's scope (bootstrap).
// Target: under 0.5 s for 100,000 documents.
absl::StatusOr<bool> RunPull(const BenchConfig& config,
                             const LoadedServer& loaded);

// resume: a first pull cut after about half its pages, then resumed from
// the cursor it reached; the resumed pull must carry only the rest.
absl::StatusOr<bool> RunResume(const BenchConfig& config,
                               const LoadedServer& loaded);

// pull_flat: pulling 10 new changes when the database holds a small and a
// large number of documents. Target: t(large) / t(small) <= 1.5.
absl::StatusOr<bool> RunPullFlat(const BenchConfig& config);

// totals: the server holding 1,000,000 submitted reports of the whole
// province (100,000 at small scale), a district-year totals query
// (tp-sa-dec, 2021) timed on the client. Target: p99 under 5 ms.
absl::StatusOr<bool> RunTotals(const BenchConfig& config);

}  // namespace fieldsync::bench

#endif  // FIELDSYNC_BENCH_WORKLOADS_H_
