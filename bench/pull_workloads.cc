// pull, resume and pull_flat: first pulls, cut pulls and small pulls from
// fieldsync-server, timed on the device side.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/load_driver.h"
#include "bench/workloads.h"
#include "client-sdk/sync_client.h"
#include "fieldsync/v1/sync.grpc.pb.h"
#include "sync/server_replica.h"
#include "sync/tuning.h"

namespace fieldsync::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Bootstraps timed in pull (the first right after the load).
constexpr int kPullRuns = 5;
// Pulls of 10 changes timed per database size in pull_flat.
constexpr int kFlatRuns = 21;
constexpr int kFlatChanges = 10;
// Devices that load a database at once.
constexpr int kLoadDevices = 20;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

client::SyncClientOptions PullOptions(const std::string& target,
                                      const std::string& device) {
  client::SyncClientOptions options;
  options.target = target;
  options.device_id = device;
  options.scopes = {kCommuneScope};
  options.timeout = std::chrono::minutes(5);
  options.max_page_bytes = tuning::kMaxPageBytes;
  return options;
}

struct PullStats {
  int pages = 0;
  int64_t documents = 0;
  int64_t page_bytes = 0;   // as gRPC delivered them (after gzip)
  int64_t plain_bytes = 0;  // the same pages with documents decoded
  double seconds = 0;
};

// One SyncClient::Pull from `cursor` (updated), timed from the call to its
// return after the last page.
absl::StatusOr<PullStats> TimedPull(client::SyncClient& client,
                                    std::string& cursor) {
  PullStats stats;
  const Clock::time_point start = Clock::now();
  absl::Status s = client.Pull(cursor, [&](const v1::PullResponse& page) {
    ++stats.pages;
    stats.documents += page.documents_size();
  });
  stats.seconds = Seconds(start);
  if (!s.ok()) return s;
  stats.page_bytes = client.last_pull_bytes().page_bytes;
  stats.plain_bytes = client.last_pull_bytes().plain_bytes;
  return stats;
}

// Loads `documents` new reports of the commune from kLoadDevices devices
// at once, in batches of up to 500.
absl::StatusOr<LoadResult> Load(const std::string& target, int documents,
                                const std::string& prefix) {
  LoadSpec spec;
  spec.devices = kLoadDevices;
  spec.batch_size = std::min(kBatchSize, documents / kLoadDevices);
  spec.batches_per_device = documents / (kLoadDevices * spec.batch_size);
  spec.device_prefix = prefix;
  if (spec.devices * spec.batches_per_device * spec.batch_size != documents) {
    return absl::InvalidArgumentError(
        absl::StrCat(documents, " documents do not split into ", kLoadDevices,
                     " devices' batches"));
  }
  absl::StatusOr<LoadResult> r = RunLoad(
      spec, [&](const std::string& d) { return SyncClientPusher(target, d); });
  if (r.ok()) {
    std::printf("  loaded %d documents in %.1f s (%.0f mutations/s)\n",
                documents, r->seconds, r->per_second());
  }
  return r;
}

}  // namespace

absl::StatusOr<LoadedServer> LoadCommune(const BenchConfig& config) {
  LoadedServer loaded;
  loaded.documents = config.full ? 100'000 : 10'000;
  loaded.dir = std::make_unique<BenchDir>();
  absl::StatusOr<ServerLauncher> server =
      ServerLauncher::Start(config.server_binary, loaded.dir->Sub("server"));
  if (!server.ok()) return server.status();
  loaded.server = std::make_unique<ServerLauncher>(*std::move(server));
  // The server's first start seeds a few real reports (data/
  // field_reports_sadec.json), some in this commune: a pull brings those
  // too.
  client::SyncClient seed_client(
      PullOptions(loaded.server->address(), "seed-count"));
  std::string seed_cursor;
  absl::StatusOr<PullStats> seeded = TimedPull(seed_client, seed_cursor);
  if (!seeded.ok()) return seeded.status();
  std::printf("loading %s with %d reports (it holds %lld from the seed)\n",
              kCommuneScope, loaded.documents,
              static_cast<long long>(seeded->documents));
  absl::StatusOr<LoadResult> r =
      Load(loaded.server->address(), loaded.documents, "loader");
  if (!r.ok()) return r.status();
  loaded.documents += static_cast<int>(seeded->documents);
  return loaded;
}

absl::StatusOr<bool> RunPull(const BenchConfig& config,
                             const LoadedServer& loaded) {
  std::printf(
      "pull: a new device's first pull of %s (%d documents), "
      "pages of up to %u bytes\n",
      kCommuneScope, loaded.documents, tuning::kMaxPageBytes);
  // The target is stated for 100,000 documents; the small run scales it.
  const double limit = config.full ? 0.5 : 0.05;
  bool met = false;
  // First as the SDK pulls by default (zstd pages), which the target is
  // judged on; then, for information only, as a plain gRPC client pulls
  // (gzip by gRPC) and with no compression.
  struct Variant {
    client::PullCompression compression;
    const char* name;
  };
  for (const Variant& variant :
       {Variant{client::PullCompression::kZstd, "zstd"},
        Variant{client::PullCompression::kGzip, "gzip"},
        Variant{client::PullCompression::kNone, "none"}}) {
    const bool judged = variant.compression == client::PullCompression::kZstd;
    if (!judged) {
      std::printf(
          "  the same bootstrap with pull_compression %s (for information, "
          "not the target):\n",
          variant.name);
    }
    std::vector<double> times;
    for (int run = 0; run < kPullRuns; ++run) {
      client::SyncClientOptions options =
          PullOptions(loaded.server->address(),
                      absl::StrCat("bootstrap-", variant.name, "-", run));
      options.pull_compression = variant.compression;
      client::SyncClient client(options);
      std::string cursor;
      absl::StatusOr<PullStats> stats = TimedPull(client, cursor);
      if (!stats.ok()) return stats.status();
      if (stats->documents != loaded.documents) {
        return absl::InternalError(
            absl::StrCat("the pull brought ", stats->documents,
                         " documents, not ", loaded.documents));
      }
      std::printf(
          "  run %d: %lld documents, %d pages, %.1f MB (%.1f MB as "
          "received) in %.3f s\n",
          run + 1, static_cast<long long>(stats->documents), stats->pages,
          stats->plain_bytes / 1e6, stats->page_bytes / 1e6, stats->seconds);
      times.push_back(stats->seconds);
    }
    const double median = Median(times);
    const double worst = *std::max_element(times.begin(), times.end());
    if (!judged) {
      std::printf("  median %.3f s, slowest %.3f s (%s)\n", median, worst,
                  variant.name);
    } else {
      met = median < limit;
      std::printf("  median %.3f s, slowest %.3f s (target < %.2f s: %s)\n",
                  median, worst, limit, met ? "met" : "NOT met");
    }
  }
  return met;
}

absl::StatusOr<bool> RunResume(const BenchConfig&, const LoadedServer& loaded) {
  const std::string target = loaded.server->address();
  std::printf(
      "resume: a first pull of %s (%d documents) cut after half its "
      "pages, then resumed\n",
      kCommuneScope, loaded.documents);
  // The whole pull, for its page count and time.
  client::SyncClient whole_client(PullOptions(target, "resume-whole"));
  std::string whole_cursor;
  absl::StatusOr<PullStats> whole = TimedPull(whole_client, whole_cursor);
  if (!whole.ok()) return whole.status();

  // The cut: a raw stream cancelled once half the pages have arrived, as a
  // dropped link would end it; the device keeps the last page's cursor.
  const int cut_after = whole->pages / 2;
  std::string cursor;
  int64_t cut_documents = 0;
  {
    auto stub = v1::SyncService::NewStub(
        grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.AddMetadata("x-fieldsync-device", "resume-cut");
    context.AddMetadata("x-fieldsync-scopes", kCommuneScope);
    v1::PullRequest request;
    request.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
    request.set_max_page_bytes(tuning::kMaxPageBytes);
    auto reader = stub->Pull(&context, request);
    v1::PullResponse page;
    int pages = 0;
    while (pages < cut_after && reader->Read(&page)) {
      ++pages;
      cut_documents += page.documents_size();
      cursor = page.cursor();
    }
    context.TryCancel();
    grpc::Status status = reader->Finish();
    std::printf(
        "  cut: %d of %d pages, %lld documents received, stream "
        "ended with code %d\n",
        pages, whole->pages, static_cast<long long>(cut_documents),
        static_cast<int>(status.error_code()));
  }
  client::SyncClient resume_client(PullOptions(target, "resume-cut"));
  absl::StatusOr<PullStats> resumed = TimedPull(resume_client, cursor);
  if (!resumed.ok()) return resumed.status();
  std::printf("  whole pull:   %lld documents, %d pages, %.1f MB in %.3f s\n",
              static_cast<long long>(whole->documents), whole->pages,
              whole->plain_bytes / 1e6, whole->seconds);
  std::printf(
      "  resumed pull: %lld documents, %d pages, %.1f MB in %.3f s "
      "(%.0f%% of the documents, %.0f%% of the bytes, %.0f%% of the "
      "time of the whole pull)\n",
      static_cast<long long>(resumed->documents), resumed->pages,
      resumed->plain_bytes / 1e6, resumed->seconds,
      100.0 * resumed->documents / whole->documents,
      100.0 * resumed->plain_bytes / whole->plain_bytes,
      100.0 * resumed->seconds / whole->seconds);
  const bool exact = cut_documents + resumed->documents == loaded.documents;
  std::printf("  cut + resumed = %lld documents: %s\n",
              static_cast<long long>(cut_documents + resumed->documents),
              exact ? "every document exactly once (resumed, not restarted)"
                    : "MISMATCH");
  return exact;
}

absl::StatusOr<bool> RunPullFlat(const BenchConfig& config) {
  const int sizes[2] = {config.full ? 10'000 : 1'000,
                        config.full ? 1'000'000 : 100'000};
  std::printf(
      "pull_flat: pull %d new changes from a cursor at the end, with "
      "%d vs %d documents in the database\n",
      kFlatChanges, sizes[0], sizes[1]);
  double medians[2];
  for (int i = 0; i < 2; ++i) {
    BenchDir dir;
    absl::StatusOr<ServerLauncher> server =
        ServerLauncher::Start(config.server_binary, dir.Sub("server"));
    if (!server.ok()) return server.status();
    const std::string target = server->address();
    absl::StatusOr<LoadResult> load = Load(target, sizes[i], "loader");
    if (!load.ok()) return load.status();
    // A device that has pulled everything so far: its cursor is the last
    // sequence the load was given (checked: a pull from it brings nothing).
    client::SyncClient reader(PullOptions(target, "flat-reader"));
    std::string cursor = EncodeCursor(load->last_sequence);
    absl::StatusOr<PullStats> empty = TimedPull(reader, cursor);
    if (!empty.ok()) return empty.status();
    if (empty->documents != 0) {
      return absl::InternalError("the cursor was not at the end");
    }
    std::unique_ptr<BatchPusher> writer =
        SyncClientPusher(target, "flat-writer");
    DeviceReports writes("flat-writer");
    std::vector<double> times;
    for (int run = 0; run < kFlatRuns; ++run) {
      absl::StatusOr<BatchPusher::Answer> pushed = writer->Push(writes.Batch(
          1 + static_cast<uint64_t>(run) * kFlatChanges, kFlatChanges));
      if (!pushed.ok()) return pushed.status();
      absl::StatusOr<PullStats> pulled = TimedPull(reader, cursor);
      if (!pulled.ok()) return pulled.status();
      if (pulled->documents != kFlatChanges) {
        return absl::InternalError(absl::StrCat(
            "pulled ", pulled->documents, " changes, not ", kFlatChanges));
      }
      times.push_back(pulled->seconds);
    }
    medians[i] = Median(times);
    std::printf(
        "  %8d documents: median %.3f ms, fastest %.3f ms, slowest "
        "%.3f ms over %d pulls of %d changes\n",
        sizes[i], 1e3 * medians[i],
        1e3 * *std::min_element(times.begin(), times.end()),
        1e3 * *std::max_element(times.begin(), times.end()), kFlatRuns,
        kFlatChanges);
    server->Stop();
  }
  const double ratio = medians[1] / medians[0];
  const bool met = ratio <= 1.5;
  std::printf("  t(%d) / t(%d) = %.2f (target <= 1.5: %s)\n", sizes[1],
              sizes[0], ratio, met ? "met" : "NOT met");
  return met;
}

}  // namespace fieldsync::bench
