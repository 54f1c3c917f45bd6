// totals: a district-year totals query against fieldsync-server holding a
// million submitted reports of the whole province, timed on the client
// over loopback (authentication, access check, audit and gRPC included).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "bench/load_driver.h"
#include "bench/report_workload.h"
#include "bench/workloads.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/catalogue_client.h"
#include "client-sdk/monitoring_client.h"

namespace fieldsync::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Devices loading at once, and the timed queries after a warm-up.
constexpr int kLoadDevices = 8;
constexpr int kWarmUpQueries = 50;
constexpr int kTimedQueries = 2000;
// The target: p99 under 5 ms.
constexpr double kTargetP99Millis = 5.0;

// Every area that files reports: districts and communes, not the province
// or hamlets.
absl::StatusOr<std::vector<std::string>> FilingAreas(
    const std::string& address, const std::string& secret) {
  client::CatalogueClient catalogue(address, secret);
  absl::StatusOr<v1::ListAreasResponse> areas =
      catalogue.ListAreas(v1::ListAreasRequest());
  if (!areas.ok()) return areas.status();
  std::vector<std::string> filing;
  for (const v1::Area& a : areas->areas()) {
    if (a.level() == v1::AREA_LEVEL_DISTRICT ||
        a.level() == v1::AREA_LEVEL_COMMUNE) {
      filing.push_back(a.id());
    }
  }
  return filing;
}

// Pushes `reports` submitted reports from kLoadDevices devices at once.
absl::Status LoadReports(const std::string& address,
                         const std::vector<std::string>& areas, int reports) {
  const int per_device = reports / kLoadDevices;
  absl::Mutex mu;
  absl::Status failure;
  const Clock::time_point start = Clock::now();
  std::vector<std::thread> threads;
  for (int d = 0; d < kLoadDevices; ++d) {
    threads.emplace_back([&, d] {
      const std::string device = absl::StrFormat("loader-%02d", d);
      FigureReportMutations made(device, areas);
      std::unique_ptr<BatchPusher> pusher = SyncClientPusher(address, device);
      for (int done = 0; done < per_device; done += kBatchSize) {
        const int n = std::min(kBatchSize, per_device - done);
        absl::StatusOr<BatchPusher::Answer> answer =
            pusher->Push(made.Batch(done + 1, n));
        absl::Status s = answer.ok() && answer->stored != n
                             ? absl::InternalError("not every report stored")
                             : answer.status();
        if (!s.ok()) {
          absl::MutexLock lock(&mu);
          failure.Update(s);
          return;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("  loaded %d reports in %.1f s (%.0f reports/s)\n",
              per_device * kLoadDevices, seconds,
              per_device * kLoadDevices / seconds);
  return failure;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

}  // namespace

absl::StatusOr<bool> RunTotals(const BenchConfig& config) {
  const int reports = config.full ? 1'000'000 : 100'000;
  BenchDir dir;
  absl::StatusOr<ServerLauncher> server =
      ServerLauncher::Start(config.server_binary, dir.Sub("server"));
  if (!server.ok()) return server.status();
  absl::StatusOr<std::string> secret =
      client::ReadSecretFile(dir.Sub("server/admin-secret"));
  if (!secret.ok()) return secret.status();
  absl::StatusOr<std::vector<std::string>> areas =
      FilingAreas(server->address(), *secret);
  if (!areas.ok()) return areas.status();
  std::printf(
      "totals: %d submitted reports over %zu areas, %d models each, %d "
      "years, three figures each\n",
      reports, areas->size(), FigureReportMutations::kModelsPerArea,
      FigureReportMutations::kYears);
  if (absl::Status s = LoadReports(server->address(), *areas, reports);
      !s.ok()) {
    return s;
  }

  // What any authenticated call costs here, for comparison: ListSectors
  // answers 15 sectors from memory.
  {
    client::CatalogueClient catalogue(server->address(), *secret);
    std::vector<double> millis;
    for (int i = 0; i < kWarmUpQueries + kTimedQueries; ++i) {
      const Clock::time_point start = Clock::now();
      absl::StatusOr<v1::ListSectorsResponse> sectors = catalogue.ListSectors();
      if (!sectors.ok()) return sectors.status();
      if (i >= kWarmUpQueries) {
        millis.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start)
                .count());
      }
    }
    std::printf(
        "  for comparison, ListSectors: p50 %.2f ms, p99 %.2f ms over %d "
        "calls\n",
        Percentile(millis, 0.5), Percentile(millis, 0.99), kTimedQueries);
  }

  client::MonitoringClient monitoring(server->address(), *secret);
  bool met = true;
  struct Question {
    const char* name;
    v1::TotalsGrouping by;
    bool judged;
  };
  for (const Question& q :
       {Question{"tp-sa-dec 2021, by indicator",
                 v1::TOTALS_GROUPING_UNSPECIFIED, true},
        Question{"tp-sa-dec 2021, by commune (for information)",
                 v1::TOTALS_GROUPING_AREA, false},
        Question{"dong-thap 2021, by district (for information)",
                 v1::TOTALS_GROUPING_AREA, false}}) {
    v1::GetTotalsRequest request;
    request.set_area_id(q.name[0] == 'd' ? "dong-thap" : "tp-sa-dec");
    request.set_period("2021");
    request.set_by(q.by);
    std::vector<double> millis;
    uint64_t counted = 0;
    for (int i = 0; i < kWarmUpQueries + kTimedQueries; ++i) {
      const Clock::time_point start = Clock::now();
      absl::StatusOr<v1::GetTotalsResponse> totals =
          monitoring.GetAllTotals(request);
      const double ms =
          std::chrono::duration<double, std::milli>(Clock::now() - start)
              .count();
      if (!totals.ok()) return totals.status();
      if (i < kWarmUpQueries) continue;
      millis.push_back(ms);
      counted = 0;
      for (const v1::TotalsRow& row : totals->rows()) {
        counted += row.submitted().reports();
      }
    }
    const double p99 = Percentile(millis, 0.99);
    std::printf(
        "  %s: %llu figures counted; p50 %.2f ms, p99 %.2f ms, max %.2f ms "
        "over %d queries%s\n",
        q.name, static_cast<unsigned long long>(counted),
        Percentile(millis, 0.5), p99,
        *std::max_element(millis.begin(), millis.end()), kTimedQueries,
        q.judged ? (p99 < kTargetP99Millis ? " (target < 5 ms: met)"
                                           : " (target < 5 ms: NOT met)")
                 : "");
    if (q.judged) met = p99 < kTargetP99Millis;
  }
  return met;
}

}  // namespace fieldsync::bench
